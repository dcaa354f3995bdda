-- The NATS JetStream transport (issue 5): when a row was handed to the stream. Set by
-- the relay that publishes it, cleared by the dispatcher that takes it from the stream,
-- so that a message the stream carries twice is delivered once.
ALTER TABLE outbox ADD COLUMN published_at INTEGER;

-- Due messages are taken in the order they fall due and then were queued: with the id
-- in the index, taking a batch reads the batch, not every due row, to sort them.
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
