-- Tables of common-messaging, for services that use the JDBC idempotency store or the outbox.
-- A Flyway location (classpath:db/messaging); idempotent, so it is safe to run again.

-- Message ids each consumer group has handled, written in the handler's transaction.
create table if not exists processed_message (
    consumer_group varchar(200) not null,
    message_id     varchar(200) not null,
    processed_at   timestamptz  not null,
    primary key (consumer_group, message_id)
);
create index if not exists processed_message_processed_at on processed_message (processed_at);

-- Messages written in the same transaction as a state change, sent by the relay after commit.
create table if not exists outbox (
    id              varchar(64)  primary key,
    message_type    varchar(200) not null,
    envelope        text         not null,
    payload         text         not null,
    created_at      timestamptz  not null,
    attempts        integer      not null default 0,
    next_attempt_at timestamptz  not null,
    last_error      text,
    sent_at         timestamptz
);
create index if not exists outbox_unsent on outbox (next_attempt_at) where sent_at is null;
