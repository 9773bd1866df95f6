-- The migration job's work: idempotent, so every `hearth up` may run it.
create table if not exists visits (id bigserial primary key, at timestamptz not null default now());
