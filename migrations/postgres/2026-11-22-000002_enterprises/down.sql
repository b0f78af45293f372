DROP TABLE rate_limits;
DROP TABLE api_clients;
DROP TABLE enterprises;
