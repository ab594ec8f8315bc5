-- One shipment per order: the unique order id is what makes a second schedule for the same order
-- ship nothing.
create table shipment (
    id                 uuid           primary key,
    order_id           varchar(64)    not null unique,
    tracking_number    varchar(12)    not null unique,
    carrier            varchar(16)    not null,
    recipient_name     varchar(200)   not null,
    street             varchar(200)   not null,
    city               varchar(100)   not null,
    postal_code        varchar(20)    not null,
    country            char(2)        not null,
    weight_kg          numeric(8, 3)  not null check (weight_kg > 0),
    price              numeric(10, 2) not null,
    currency           char(3)        not null,
    estimated_delivery date           not null,
    created_at         timestamptz    not null
);
