-- One payment per order: the unique order id is what makes a second authorize for the same order
-- charge nothing. A declined attempt is a payment too, so a retried order does not get a second try.
create table payment (
    id             uuid           primary key,
    order_id       varchar(64)    not null unique,
    customer_id    varchar(64),
    amount         numeric(12, 2) not null,
    currency       char(3)        not null,
    status         varchar(16)    not null check (status in ('AUTHORIZED', 'DECLINED', 'REFUNDED')),
    decline_reason text,
    refund_reason  text,
    created_at     timestamptz    not null,
    refunded_at    timestamptz
);
