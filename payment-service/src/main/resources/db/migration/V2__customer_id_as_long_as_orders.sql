-- order-service accepts customer ids of up to 100 characters; a shorter column here made such an
-- authorization fail on insert, again on every retry, until it was dead-lettered.
alter table payment alter column customer_id type varchar(100);
