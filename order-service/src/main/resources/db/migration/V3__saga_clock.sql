-- Saga time (SagaClock): the clock deadlines (orders.deadline_at) are set and expire on. It stands
-- still while no order-service instance can reach its brokers, so an outage between the services
-- does not count against the time the others have to answer. One row: the saga time at the last
-- tick, and the database's time of that tick.
create table saga_clock (
    id        boolean     primary key default true check (id),
    saga_time timestamptz not null,
    ticked_at timestamptz not null
);
-- Starting at the time of day, the deadlines stored before keep their meaning.
insert into saga_clock (saga_time, ticked_at) values (clock_timestamp(), clock_timestamp());
