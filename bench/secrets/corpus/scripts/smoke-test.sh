#!/bin/sh
BASE=${BASE:-https://api.acme-corp.example}
TOKEN="eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtc21va2UiLCJzY29wZSI6Im9yZGVyczpyZWFkIiwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE5MDAwMDAwMDB9._pVjvuE8LcjlUDNTg7tDvnMvJdAALKCTzEPFLjSMYAb"
curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/v1/orders?limit=1" > /dev/null
curl -sf "$BASE/healthz"
