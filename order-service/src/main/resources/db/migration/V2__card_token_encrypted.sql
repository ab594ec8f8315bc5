-- Card tokens are stored encrypted (enc:v1:<key id>:<base64 of nonce, ciphertext and tag>), which
-- is longer than the token: 200 characters of token take about 310. Rows stored in the clear are
-- encrypted by order-service when it starts (ClearCardTokens), as only it holds the key.
alter table orders alter column card_token type varchar(400);
