/**
 * Bounded dedupe (`promises.dedupesResends: { withinMs }`): a re-send sent more than withinMs
 * (event time) behind the newest event sent before it may find its id forgotten, so the SUT may
 * place it again (as late, or as a new output). One definition, read by `duplicates` (an extra
 * copy allowed per far re-send) and `conservation` (an extra place allowed per far re-send).
 */

/** A `far` CTE (with its trailing comma): per event id, how many of its re-sends were sent beyond the horizon. */
export const farResendsCte = (withinMs: number) => `
far AS (
  SELECT event_id, count(*) FILTER (WHERE n > 1 AND behind > ${withinMs}) AS far FROM (
    SELECT event_id, row_number() OVER (PARTITION BY event_id ORDER BY invoke_us, send_id) AS n,
      max(event_time_ms) OVER (ORDER BY invoke_us, send_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) - event_time_ms AS behind
    FROM sends WHERE outcome <> 'fail' AND event_time_ms IS NOT NULL)
  GROUP BY event_id),`;
