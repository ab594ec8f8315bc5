-- One row per order that inventory has heard of, whatever came first: the primary key is what
-- makes a second reserve or release for the same order change nothing.
--   RESERVED   the lines below are taken out of stock
--   REJECTED   nothing was taken (short of stock, unknown SKU, or the order was cancelled first)
--   RELEASED   the lines were given back to stock
--   CANCELLED  released before any reserve arrived: a tombstone that makes a later reserve fail
create table reservation (
    order_id   varchar(64) primary key,
    status     varchar(16) not null
        check (status in ('RESERVED', 'REJECTED', 'RELEASED', 'CANCELLED')),
    reason     text,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table reservation_line (
    order_id varchar(64) not null references reservation (order_id),
    sku      varchar(32) not null references product (sku),
    quantity integer     not null check (quantity > 0),
    primary key (order_id, sku)
);
