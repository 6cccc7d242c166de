INSERT INTO roles (id, name) VALUES
  ('3a5680d8-67ec-495e-aace-4bbf75d2d1ee', 'admin'),
  ('f6bf105f-ffa4-4f90-ba65-96ea5867ab59', 'member'),
  ('c9f7a71c-8218-43ad-8efb-49af0a5f1dcb', 'viewer');

INSERT INTO feature_flags (id, key, enabled) VALUES
  ('79767cac-daf6-4b7a-8f36-93d740f517ef', 'checkout-v2', true);

-- users are created through the API, never seeded with passwords
ALTER TABLE users ADD COLUMN password_changed_at timestamptz;
