-- Orders and their saga state. Amounts in the order's currency with two decimals.
create table orders (
    id               uuid          primary key,
    customer_id      varchar(100)  not null,
    status           varchar(32)   not null,
    currency         char(3)       not null,
    items_total      numeric(12,2) not null,
    shipping_price   numeric(12,2) not null,
    total            numeric(12,2) not null,
    weight_kg        numeric(12,3) not null,
    ship_name        varchar(200)  not null,
    ship_street      varchar(200)  not null,
    ship_city        varchar(100)  not null,
    ship_postal_code varchar(20)   not null,
    ship_country     char(2)       not null,
    -- Needed to ask for the payment; erased once the payment step is over.
    card_token       varchar(200),
    tracking_number  varchar(100),
    -- When the step the order waits for times out; null once the order ended.
    deadline_at      timestamptz,
    placed_at        timestamptz   not null,
    updated_at       timestamptz   not null
);
create index orders_customer on orders (customer_id, placed_at desc);
create index orders_status on orders (status, placed_at desc);
create index orders_placed on orders (placed_at desc);
create index orders_deadline on orders (deadline_at) where deadline_at is not null;

create table order_line (
    order_id   uuid          not null references orders (id),
    line_no    integer       not null,
    sku        varchar(64)   not null,
    name       varchar(200)  not null,
    quantity   integer       not null check (quantity > 0),
    unit_price numeric(12,2) not null,
    weight_kg  numeric(12,3) not null,
    primary key (order_id, line_no)
);

-- Every saga step of an order; seq orders the steps and is the server-sent event id.
create table order_timeline (
    seq      bigserial    primary key,
    order_id uuid         not null references orders (id),
    status   varchar(32)  not null,
    at       timestamptz  not null,
    detail   text         not null
);
create index order_timeline_order on order_timeline (order_id, seq);

-- Idempotency-Key of POST /orders: the key is unique, so of concurrent repeats only one stores
-- an order; the others wait for it and answer with its order.
create table idempotency_key (
    idempotency_key varchar(200) primary key,
    request_hash    char(64)     not null,
    order_id        uuid         not null references orders (id) deferrable initially deferred,
    created_at      timestamptz  not null
);
