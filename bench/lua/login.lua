-- POST /api/v1/auth/login with the demo province officer's credentials.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":"demo.province","password":"Demo-Passw0rd!"}'
