-- Projection customer-orders: every customer's orders, as their events on orders.events left them.
-- Each generation of the projection runs this in a schema of its own; readers see the active one's
-- table through a view of the same name.
create table customer_order (
    order_id        uuid          primary key,
    customer_id     varchar(100)  not null,
    placed_at       timestamptz   not null,
    status          varchar(30)   not null,
    items           integer       not null,
    total           numeric(14,2) not null,
    currency        varchar(3)    not null,
    tracking_number varchar(100),
    changed_at      timestamptz   not null
);
create index customer_order_by_customer on customer_order (customer_id, placed_at desc);
