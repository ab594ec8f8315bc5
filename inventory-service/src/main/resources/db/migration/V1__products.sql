-- The catalogue and its stock. stock is what can still be reserved: a reservation takes units out
-- of it and a release puts them back, so the check below is the last guard against overselling.
create table product (
    sku        varchar(32)   primary key,
    name       varchar(200)  not null,
    unit_price numeric(12, 2) not null check (unit_price >= 0),
    currency   char(3)       not null default 'EUR',
    weight_kg  numeric(8, 3) not null check (weight_kg > 0),
    stock      integer       not null check (stock >= 0),
    updated_at timestamptz   not null default now()
);

insert into product (sku, name, unit_price, weight_kg, stock) values
    ('SKU-001', 'Espresso cup set',        24.90, 0.800, 100),
    ('SKU-002', 'Pour-over kettle',        49.00, 1.100, 100),
    ('SKU-003', 'Burr coffee grinder',    129.00, 2.300, 100),
    ('SKU-004', 'Single-origin beans 1 kg', 19.50, 1.000, 100),
    ('SKU-005', 'Milk frother',            39.90, 0.450, 100),
    ('SKU-006', 'Cast-iron moka pot',      34.00, 1.400, 100),
    ('SKU-007', 'Barista scale',           59.00, 0.600, 100),
    ('SKU-008', 'Espresso machine',       549.00, 9.500, 100);
