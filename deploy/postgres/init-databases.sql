-- Runs once, when the PostgreSQL volume is empty. Each service owns one database; Flyway creates
-- its tables at the service's start.
CREATE DATABASE orders;
CREATE DATABASE inventory;
CREATE DATABASE payments;
CREATE DATABASE shipping;
