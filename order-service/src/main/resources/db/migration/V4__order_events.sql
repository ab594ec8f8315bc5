-- The orders' events (OrderEvent): the source of truth of every order. An order's stream is its
-- events in version order; the orders row is their projection, and keeps the personal data beside
-- them (the shipping address, and the card token until the payment step is over), which the events
-- leave out because an append-only log cannot forget. Appending version n+1 of a stream that another transaction
-- just extended fails on the primary key, so no step is ever applied to a stale order.
create table order_event (
    order_id uuid         not null,
    version  integer      not null check (version > 0),
    type     varchar(64)  not null,
    data     jsonb        not null,
    at       timestamptz  not null,
    primary key (order_id, version)
);

-- Append-only: an event, once stored, is what happened.
create function order_event_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'order_event is append-only: % refused', tg_op;
end
$$;
create trigger order_event_append_only before update or delete or truncate on order_event
    for each statement execute function order_event_refuse_change();

-- The version of the last event the row projects.
alter table orders add column version integer not null default 1;

-- Orders placed before their events were stored start their stream with their state as it is.
insert into order_event (order_id, version, type, data, at)
select o.id, 1, 'order.carried-over.v1',
       jsonb_build_object(
           'orderId', o.id,
           'version', 1,
           'at', to_char(o.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           'customerId', o.customer_id,
           'lines', (select coalesce(jsonb_agg(jsonb_build_object(
                                'sku', l.sku, 'name', l.name, 'quantity', l.quantity,
                                'unitPrice', l.unit_price, 'weightKg', l.weight_kg)
                            order by l.line_no), '[]'::jsonb)
                     from order_line l where l.order_id = o.id),
           'shipToCountry', o.ship_country,
           'weightKg', o.weight_kg,
           'itemsTotal', o.items_total,
           'shippingPrice', o.shipping_price,
           'total', o.total,
           'currency', o.currency,
           'placedAt', to_char(o.placed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           'status', o.status,
           'trackingNumber', o.tracking_number,
           'deadline', to_char(o.deadline_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
       o.updated_at
from orders o;
