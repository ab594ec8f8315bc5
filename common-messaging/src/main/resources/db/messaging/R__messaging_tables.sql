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
-- A row the broker kept refusing is parked after messaging.outbox.park-after attempts: no longer
-- tried until an operator replays it from the parking lot. It still holds up its key's later rows.
-- Only refusals count towards parking: failed attempts while the broker was reachable.
alter table outbox add column if not exists parked_at timestamptz;
alter table outbox add column if not exists refusals integer not null default 0;

-- The parking lot: every dead letter of this service, taken from the brokers' dead-letter queues,
-- topics and streams and from the outbox, to be inspected, edited, replayed or purged. A row
-- stays, with its state, after it was replayed or purged: the history of what operators did.
create table if not exists parked_message (
    id                varchar(64)  primary key,
    -- Where this dead letter was taken from (queue, topic partition and offset, stream entry), so
    -- a copy delivered twice is parked once.
    dead_letter_key   varchar(600) not null unique,
    transport         varchar(20)  not null,
    destination       varchar(300) not null,
    consumer_group    varchar(200),
    dead_letters      varchar(300) not null,
    security          boolean      not null,
    reason            varchar(40)  not null,
    exception_class   varchar(300),
    exception_message text,
    stack_summary     text,
    attempts          integer      not null,
    first_failure_at  timestamptz,
    last_failure_at   timestamptz,
    parked_at         timestamptz  not null,
    message_id        varchar(200),
    message_type      varchar(200),
    correlation_id    varchar(200),
    envelope          text,
    payload           bytea        not null,
    headers           text         not null,
    encrypted         boolean      not null,
    state             varchar(20)  not null,
    state_changed_at  timestamptz  not null,
    replay_count      integer      not null default 0,
    replayed_by       varchar(200),
    replayed_at       timestamptz,
    edited_by         varchar(200),
    edited_at         timestamptz,
    purged_by         varchar(200),
    outbox_id         varchar(64)
);
create index if not exists parked_message_by_state on parked_message (state, parked_at);
create index if not exists parked_message_by_correlation on parked_message (correlation_id);
create index if not exists parked_message_by_message on parked_message (message_id);

-- The generations of each projection (a read model kept from Kafka topics, rebuildable): the one
-- readers see (ACTIVE), at most one being built beside it (BUILDING), and those replaced (RETIRED,
-- their schema dropped). Each generation's tables, and the offsets they were written up to, are in
-- its own schema.
create table if not exists projection_generation (
    projection      varchar(40)  not null,
    generation      integer      not null,
    state           varchar(20)  not null,
    schema_name     varchar(63)  not null,
    script_checksum varchar(64)  not null,
    requested_at    timestamptz  not null,
    requested_by    varchar(200) not null,
    switched_at     timestamptz,
    retired_at      timestamptz,
    dropped_at      timestamptz,
    primary key (projection, generation)
);
-- A second rebuild while one is under way is refused by the database itself, whichever instance
-- was asked.
create unique index if not exists projection_generation_one_building
    on projection_generation (projection) where state = 'BUILDING';
create unique index if not exists projection_generation_one_active
    on projection_generation (projection) where state = 'ACTIVE';
