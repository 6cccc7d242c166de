--
-- PostgreSQL database dump
--

-- Dumped from database version 15.4
-- Dumped by pg_dump version 15.4

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;

CREATE TABLE public.accounts (
    id bigint NOT NULL,
    email text NOT NULL,
    password_digest character varying NOT NULL,
    created_at timestamp(6) without time zone NOT NULL
);

CREATE TABLE public.attachments (
    id bigint NOT NULL,
    filename text NOT NULL,
    checksum character varying NOT NULL
);

COPY public.accounts (id, email, password_digest, created_at) FROM stdin;
1	ops@acme-corp.example	$2b$12$GDNlWZqsJ3TB3qd89t12tKrIHpo2MDMhflq5DwEMQKEt3hTLlc6nZ	2022-05-01 08:00:00
2	lena.berg@acme-corp.example	$2b$12$wcYXBdJ7Mp2A7aGKmGxOFhl.JpJmU3WL3QEhy6.CgbD44GNvg4l/1	2022-06-12 14:31:09
3	t.okafor@acme-corp.example	$2b$12$PMmYW5bVQRQl4nfOR8ibbCprqkxGus/Zm0Lh03KneIJxnjAfy31m7	2023-01-20 11:02:45
\.

COPY public.attachments (id, filename, checksum) FROM stdin;
1	invoice-2023-001.pdf	ei7F0mA1mnCAGFhrrv01IA==
2	contract.pdf	o7S+cK2uLnkomBkjlsaHEA==
3	logo.png	WZyDFa6SpX97ZvY0r1sXsw==
\.

SELECT pg_catalog.setval('public.accounts_id_seq', 3, true);

--
-- PostgreSQL database dump complete
--
