-- Message ids each consumer group has handled, written in the handler's transaction.
create table if not exists processed_message (
    consumer_group varchar(200) not null,
    message_id     varchar(200) not null,
    processed_at   timestamptz  not null,
    primary key (consumer_group, message_id)
);

-- Rows older than messaging.idempotency.retention may be deleted by a scheduled job.
create index if not exists processed_message_processed_at on processed_message (processed_at);
