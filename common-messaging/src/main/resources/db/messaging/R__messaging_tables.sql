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
-- The rows of one partition key leave in seq order: only a key's oldest unsent row may be sent.
create table if not exists outbox (
    id              varchar(64)  primary key,
    seq             bigint       generated always as identity,
    message_type    varchar(200) not null,
    partition_key   text,
    envelope        text         not null,
    payload         text         not null,
    created_at      timestamptz  not null,
    attempts        integer      not null default 0,
    next_attempt_at timestamptz  not null,
    last_error      text,
    sent_at         timestamptz
);
-- Tables made before seq and partition_key: existing rows are numbered in no particular order, and
-- those still unsent take their key from their envelope.
alter table outbox add column if not exists seq bigint generated always as identity;
alter table outbox add column if not exists partition_key text;
update outbox set partition_key = envelope::json ->> 'partitionKey'
 where sent_at is null and partition_key is null and envelope::json ->> 'partitionKey' is not null;
create index if not exists outbox_unsent on outbox (next_attempt_at) where sent_at is null;
create index if not exists outbox_unsent_in_order on outbox (seq) where sent_at is null;
create index if not exists outbox_unsent_by_key on outbox (partition_key, seq) where sent_at is null;
