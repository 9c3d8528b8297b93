#!/usr/bin/env bash
set -euo pipefail
PANEL="http://localhost:7070"

# 1. Setup admin (first run only)
curl -s -X POST "$PANEL/api/auth/setup" \
  -H "Content-Type: application/json" \
  -d '{"username":"admin","password":"SecureAdmin123"}'

# 2. Login
TOKEN=$(curl -s -X POST "$PANEL/api/auth/login" \
  -H "Content-Type: application/json" \
  -d '{"username":"admin","password":"SecureAdmin123"}' \
  | jq -r '.data.token')
AUTH="Authorization: Bearer $TOKEN"

# 3. Create a hosting account
curl -s -X POST "$PANEL/api/accounts" \
  -H "$AUTH" -H "Content-Type: application/json" \
  -d '{"username":"johndoe","domain":"example.com","email":"john@example.com","password":"UserPass123","plan":"free"}'

# 4. Add an addon domain
curl -s -X POST "$PANEL/api/domains" \
  -H "$AUTH" -H "Content-Type: application/json" \
  -d '{"account_id":1,"domain_name":"blog.example.com","domain_type":"addon","document_root":"/home/johndoe/blog"}'

# 5. Write an index page
curl -s -X POST "$PANEL/api/files/write" \
  -H "$AUTH" -H "Content-Type: application/json" \
  -d '{"account_id":1,"path":"/public_html/index.html","content":"<h1>Welcome to example.com</h1>"}'

# 6. Create a MySQL database
curl -s -X POST "$PANEL/api/databases" \
  -H "$AUTH" -H "Content-Type: application/json" \
  -d '{"account_id":1,"db_name":"wordpress","db_password":"DbPass12345","engine":"mysql"}'

# 7. Provision SSL (requires DNS pointing to this server)
curl -s -X POST "$PANEL/api/ssl/provision" \
  -H "$AUTH" -H "Content-Type: application/json" \
  -d '{"domain":"example.com"}'

# 8. Check dashboard
curl -s "$PANEL/api/system/stats" -H "$AUTH" | jq .
