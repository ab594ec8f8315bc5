-- Projection audit-trail (common-messaging): every audit record of every service, from the audit
-- topic, to answer what happened to one business flow (its correlation id) across all services.
-- Each generation of the projection runs this in a schema of its own; readers see the active one's
-- table through a view of the same name.
create table audit_step (
    topic_partition integer      not null,
    topic_offset    bigint       not null,
    correlation_id  varchar(200),
    at              timestamptz  not null,
    service         varchar(100) not null,
    outcome         varchar(40)  not null,
    type            varchar(200),
    transport       varchar(20),
    destination     varchar(300),
    message_id      varchar(200),
    attempt         integer      not null,
    detail          text,
    principal       varchar(200),
    replay_of       varchar(100),
    chain_id        varchar(300),
    chain_sequence  bigint,
    primary key (topic_partition, topic_offset)
);
create index audit_step_by_correlation on audit_step (correlation_id, at);
