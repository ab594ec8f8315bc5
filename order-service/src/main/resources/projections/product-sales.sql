-- Projection product-sales: units and revenue per product per hour, from orders.events. Each
-- generation of the projection runs this in a schema of its own; readers see the active one's
-- tables through views of the same names.

-- Each order's lines, by product, kept to count them again when the order ships or ends unshipped.
create table product_sales_line (
    order_id uuid          not null,
    sku      varchar(64)   not null,
    hour     timestamptz   not null,
    quantity integer       not null,
    amount   numeric(14,2) not null,
    primary key (order_id, sku)
);

-- Per product and hour the orders were placed in: what was ordered, and what of it has shipped
-- (with its revenue) or ended unshipped so far.
create table product_sales_hourly (
    sku             varchar(64)   not null,
    hour            timestamptz   not null,
    orders          integer       not null default 0,
    units_ordered   integer       not null default 0,
    units_shipped   integer       not null default 0,
    units_cancelled integer       not null default 0,
    revenue         numeric(14,2) not null default 0,
    primary key (sku, hour)
);
create index product_sales_hourly_by_hour on product_sales_hourly (hour);
