-- A corpus of real-world PostgreSQL DML, as apps send it through Dapper, with the facts a reader of the
-- SQL would write down by hand. Format: `schema table(col, …)` lines give the schema the analyser may
-- consult; each statement runs until a line starting with `=>`, which lists the expected facts:
--   t:table  read table      T:table  written table (INSERT/UPDATE/DELETE target)
--   r:table.col  column read w:table.col  column written     *:table  read with SELECT *
schema customers(id, name, email, status, country, created_at, updated_at, deleted_at, tier, referred_by)
schema orders(id, customer_id, status, total, currency, placed_at, shipped_at, note, coupon_id)
schema order_items(id, order_id, product_id, quantity, unit_price, discount)
schema products(id, sku, name, description, price, category_id, active, stock, attributes, created_at)
schema categories(id, name, parent_id, slug)
schema payments(id, order_id, amount, method, paid_at, status, reference)
schema shipments(id, order_id, carrier, tracking_number, shipped_at, delivered_at, address_id)
schema addresses(id, customer_id, line1, line2, city, postcode, country, is_default)
schema users(id, email, password_hash, display_name, role, last_login_at, created_at, org_id)
schema orgs(id, name, plan_id, created_at)
schema plans(id, name, price, seats)
schema sessions(id, user_id, token, expires_at, created_at)
schema audit_log(id, actor_id, action, entity, entity_id, payload, created_at)
schema invoices(id, org_id, number, issued_at, due_at, total, status)
schema invoice_lines(id, invoice_id, description, amount, quantity)
schema tags(id, name)
schema product_tags(product_id, tag_id)
schema reviews(id, product_id, customer_id, rating, body, created_at)
schema employees(id, name, manager_id, department_id, salary, hired_at)
schema departments(id, name, budget)
schema events(id, kind, payload, occurred_at, processed_at, attempts)
schema subscriptions(id, org_id, plan_id, starts_at, ends_at, status)
schema coupons(id, code, percent_off, expires_at, max_uses, used)
schema jobs(id, queue, payload, run_at, locked_at, locked_by, attempts, status)
schema inventory(product_id, warehouse_id, quantity, reserved)
schema warehouses(id, name, city)
schema app.settings(key, value, updated_at)

SELECT id, name, email FROM customers WHERE id = @id
=> t:customers r:customers.id r:customers.name r:customers.email

SELECT * FROM customers WHERE email = @email
=> t:customers *:customers r:customers.email

select count(*) from orders where status = 'open'
=> t:orders r:orders.status

SELECT o.id, o.total, c.name AS customer_name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.placed_at >= @since
=> t:orders t:customers r:orders.id r:orders.total r:customers.name r:customers.id r:orders.customer_id r:orders.placed_at

SELECT id FROM orders WHERE customer_id = @customerId ORDER BY placed_at DESC LIMIT 20
=> t:orders r:orders.id r:orders.customer_id r:orders.placed_at

SELECT name, price FROM products WHERE active AND price BETWEEN @min AND @max ORDER BY price
=> t:products r:products.name r:products.price r:products.active

SELECT p.name, c.name AS category FROM products p LEFT JOIN categories c ON c.id = p.category_id
=> t:products t:categories r:products.name r:categories.name r:categories.id r:products.category_id

SELECT customer_id, sum(total) AS revenue FROM orders GROUP BY customer_id HAVING sum(total) > @threshold ORDER BY revenue DESC
=> t:orders r:orders.customer_id r:orders.total

SELECT DISTINCT country FROM customers ORDER BY country
=> t:customers r:customers.country

SELECT DISTINCT ON (customer_id) customer_id, id, placed_at FROM orders ORDER BY customer_id, placed_at DESC
=> t:orders r:orders.customer_id r:orders.id r:orders.placed_at

SELECT id, email FROM users WHERE lower(email) = lower(@email) AND deleted_at IS NULL
=> t:users r:users.id r:users.email r:users.deleted_at

SELECT u.id, u.display_name, o.name FROM users u INNER JOIN orgs o ON o.id = u.org_id WHERE u.role = ANY(@roles)
=> t:users t:orgs r:users.id r:users.display_name r:orgs.name r:orgs.id r:users.org_id r:users.role

SELECT "id", "Name" FROM "customers"
=> t:customers r:customers.id r:customers.Name

SELECT c.id FROM public.customers c WHERE c.status <> 'deleted'
=> t:public.customers r:public.customers.id r:public.customers.status

SELECT key, value FROM app.settings WHERE key = @key
=> t:app.settings r:app.settings.key r:app.settings.value

SELECT total::numeric(12,2), placed_at::date AS day FROM orders WHERE id = @id
=> t:orders r:orders.total r:orders.placed_at r:orders.id

SELECT attributes->>'color' AS color FROM products WHERE attributes @> @filter::jsonb
=> t:products r:products.attributes

SELECT id FROM products WHERE name ILIKE '%' || @term || '%'
=> t:products r:products.id r:products.name

SELECT EXTRACT(YEAR FROM placed_at) AS year, count(*) FROM orders GROUP BY 1
=> t:orders r:orders.placed_at

SELECT date_trunc('month', placed_at) AS month, sum(total) FROM orders WHERE placed_at > now() - interval '1 year' GROUP BY month ORDER BY month
=> t:orders r:orders.placed_at r:orders.total

SELECT id, CASE WHEN total > 100 THEN 'big' ELSE 'small' END AS size FROM orders
=> t:orders r:orders.id r:orders.total

SELECT id, coalesce(note, '') AS note FROM orders WHERE id = @id
=> t:orders r:orders.id r:orders.note

SELECT o.id FROM orders o WHERE EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status = 'settled')
=> t:orders t:payments r:orders.id r:payments.order_id r:payments.status

SELECT id FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE total > @min)
=> t:customers t:orders r:customers.id r:orders.customer_id r:orders.total

SELECT id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)
=> t:customers t:orders r:customers.id r:orders.customer_id

SELECT c.name, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) AS order_count FROM customers c
=> t:customers t:orders r:customers.name r:orders.customer_id r:customers.id

SELECT t.customer_id, t.total FROM (SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id) t WHERE t.total > 1000
=> t:orders r:orders.customer_id r:orders.total

WITH recent AS (SELECT id, customer_id FROM orders WHERE placed_at > now() - interval '7 days') SELECT c.email FROM customers c JOIN recent r ON r.customer_id = c.id
=> t:orders t:customers r:orders.id r:orders.customer_id r:orders.placed_at r:customers.email r:customers.id

WITH RECURSIVE tree AS (SELECT id, parent_id, name FROM categories WHERE id = @root UNION ALL SELECT c.id, c.parent_id, c.name FROM categories c JOIN tree t ON c.parent_id = t.id) SELECT * FROM tree
=> t:categories r:categories.id r:categories.parent_id r:categories.name

SELECT id, name FROM products WHERE category_id = @cat UNION SELECT id, name FROM products WHERE @all
=> t:products r:products.id r:products.name r:products.category_id

SELECT email FROM customers EXCEPT SELECT email FROM users
=> t:customers t:users r:customers.email r:users.email

SELECT p.id, p.name, array_agg(t.name ORDER BY t.name) AS tags FROM products p JOIN product_tags pt ON pt.product_id = p.id JOIN tags t ON t.id = pt.tag_id GROUP BY p.id, p.name
=> t:products t:product_tags t:tags r:products.id r:products.name r:tags.name r:product_tags.product_id r:tags.id r:product_tags.tag_id

SELECT id, rank() OVER (PARTITION BY category_id ORDER BY price DESC) AS rnk FROM products
=> t:products r:products.id r:products.category_id r:products.price

SELECT id, sum(total) OVER (ORDER BY placed_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM orders
=> t:orders r:orders.id r:orders.total r:orders.placed_at

SELECT count(*) FILTER (WHERE status = 'paid') AS paid, count(*) AS all_orders FROM orders
=> t:orders r:orders.status

SELECT id FROM jobs WHERE status = 'queued' AND run_at <= now() ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED
=> t:jobs r:jobs.id r:jobs.status r:jobs.run_at

SELECT id, token FROM sessions WHERE token = @token AND expires_at > now()
=> t:sessions r:sessions.id r:sessions.token r:sessions.expires_at

SELECT s.id, u.email FROM sessions s JOIN users u USING (id)
=> t:sessions t:users r:sessions.id r:users.email r:users.id

SELECT i.number, sum(l.amount * l.quantity) AS total FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id GROUP BY i.number
=> t:invoices t:invoice_lines r:invoices.number r:invoice_lines.amount r:invoice_lines.quantity r:invoice_lines.invoice_id r:invoices.id

SELECT e.name, m.name AS manager FROM employees e LEFT OUTER JOIN employees m ON m.id = e.manager_id
=> t:employees r:employees.name r:employees.id r:employees.manager_id

SELECT d.name, avg(e.salary) FROM departments d JOIN employees e ON e.department_id = d.id GROUP BY d.name
=> t:departments t:employees r:departments.name r:employees.salary r:employees.department_id r:departments.id

SELECT id, payload FROM events WHERE processed_at IS NULL AND attempts < 5 ORDER BY occurred_at LIMIT @batch
=> t:events r:events.id r:events.payload r:events.processed_at r:events.attempts r:events.occurred_at

SELECT code, percent_off FROM coupons WHERE code = upper(@code) AND (expires_at IS NULL OR expires_at > now()) AND used < max_uses
=> t:coupons r:coupons.code r:coupons.percent_off r:coupons.expires_at r:coupons.used r:coupons.max_uses

SELECT product_id, sum(quantity - reserved) AS available FROM inventory GROUP BY product_id
=> t:inventory r:inventory.product_id r:inventory.quantity r:inventory.reserved

SELECT w.name, i.quantity FROM inventory i JOIN warehouses w ON w.id = i.warehouse_id WHERE i.product_id = @productId
=> t:inventory t:warehouses r:warehouses.name r:inventory.quantity r:warehouses.id r:inventory.warehouse_id r:inventory.product_id

SELECT r.rating, r.body, c.name FROM reviews r JOIN customers c ON c.id = r.customer_id WHERE r.product_id = @id ORDER BY r.created_at DESC
=> t:reviews t:customers r:reviews.rating r:reviews.body r:customers.name r:customers.id r:reviews.customer_id r:reviews.product_id r:reviews.created_at

SELECT avg(rating)::float8 FROM reviews WHERE product_id = @productId
=> t:reviews r:reviews.rating r:reviews.product_id

SELECT id FROM orders WHERE id = ANY(@ids)
=> t:orders r:orders.id

SELECT id, total FROM orders WHERE (status, currency) IN (('paid', 'EUR'), ('paid', 'USD'))
=> t:orders r:orders.id r:orders.total r:orders.status r:orders.currency

SELECT o.*, c.email FROM orders o JOIN customers c ON c.id = o.customer_id
=> t:orders t:customers *:orders r:customers.email r:customers.id r:orders.customer_id

SELECT c.* FROM customers c WHERE c.tier = 'gold'
=> t:customers *:customers r:customers.tier

SELECT count(DISTINCT customer_id) FROM orders WHERE placed_at::date = current_date
=> t:orders r:orders.customer_id r:orders.placed_at

SELECT string_agg(name, ', ' ORDER BY name) FROM tags
=> t:tags r:tags.name

SELECT id FROM customers WHERE created_at < now() - make_interval(days => @days)
=> t:customers r:customers.id r:customers.created_at

SELECT id, email FROM customers WHERE email ~* '^[a-z]+@example\.com$'
=> t:customers r:customers.id r:customers.email

SELECT id FROM users WHERE created_at BETWEEN @from AND @to ORDER BY created_at OFFSET @skip LIMIT @take
=> t:users r:users.id r:users.created_at

SELECT id FROM users ORDER BY id FETCH FIRST 10 ROWS ONLY
=> t:users r:users.id

SELECT greatest(shipped_at, placed_at) AS last_change FROM orders WHERE id = @id
=> t:orders r:orders.shipped_at r:orders.placed_at r:orders.id

SELECT nullif(note, '') FROM orders
=> t:orders r:orders.note

SELECT id, total FROM orders o WHERE total > (SELECT avg(total) FROM orders WHERE customer_id = o.customer_id)
=> t:orders r:orders.id r:orders.total r:orders.customer_id

SELECT c.id, latest.placed_at FROM customers c CROSS JOIN LATERAL (SELECT placed_at FROM orders o WHERE o.customer_id = c.id ORDER BY placed_at DESC LIMIT 1) latest
=> t:customers t:orders r:customers.id r:orders.placed_at r:orders.customer_id

SELECT u.id FROM unnest(@ids::bigint[]) AS u(id)
=> 

SELECT p.id FROM products p JOIN unnest(@skus::text[]) AS s(sku) ON s.sku = p.sku
=> t:products r:products.id r:products.sku

SELECT id FROM orders WHERE placed_at AT TIME ZONE 'UTC' > @since
=> t:orders r:orders.id r:orders.placed_at

SELECT id FROM orders WHERE status IS DISTINCT FROM @status
=> t:orders r:orders.id r:orders.status

SELECT id FROM products WHERE NOT active OR stock = 0
=> t:products r:products.id r:products.active r:products.stock

SELECT id FROM products WHERE sku LIKE 'AB-%' ESCAPE '\'
=> t:products r:products.id r:products.sku

SELECT substring(name FROM 1 FOR 10) AS short_name FROM products
=> t:products r:products.name

SELECT trim(BOTH ' ' FROM display_name) FROM users
=> t:users r:users.display_name

SELECT CAST(total AS integer) FROM orders
=> t:orders r:orders.total

SELECT position('@' IN email) FROM customers
=> t:customers r:customers.email

SELECT jsonb_build_object('id', id, 'name', name) FROM customers WHERE id = @id
=> t:customers r:customers.id r:customers.name

SELECT id FROM events WHERE payload ? 'retry' AND kind = @kind
=> t:events r:events.id r:events.payload r:events.kind

SELECT id FROM audit_log WHERE entity = 'order' AND entity_id = @id ORDER BY created_at
=> t:audit_log r:audit_log.id r:audit_log.entity r:audit_log.entity_id r:audit_log.created_at

SELECT a.action, u.email FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id WHERE a.created_at > @since
=> t:audit_log t:users r:audit_log.action r:users.email r:users.id r:audit_log.actor_id r:audit_log.created_at

SELECT s.id, p.name AS plan FROM subscriptions s JOIN plans p ON p.id = s.plan_id WHERE s.org_id = @orgId AND s.status = 'active'
=> t:subscriptions t:plans r:subscriptions.id r:plans.name r:plans.id r:subscriptions.plan_id r:subscriptions.org_id r:subscriptions.status

SELECT o.name, count(u.id) AS members FROM orgs o LEFT JOIN users u ON u.org_id = o.id GROUP BY o.id, o.name
=> t:orgs t:users r:orgs.name r:users.id r:users.org_id r:orgs.id

SELECT id, due_at FROM invoices WHERE status = 'open' AND due_at < current_date
=> t:invoices r:invoices.id r:invoices.due_at r:invoices.status

SELECT number FROM invoices WHERE org_id = @orgId ORDER BY issued_at DESC NULLS LAST
=> t:invoices r:invoices.number r:invoices.org_id r:invoices.issued_at

SELECT carrier, tracking_number FROM shipments WHERE order_id = @orderId
=> t:shipments r:shipments.carrier r:shipments.tracking_number r:shipments.order_id

SELECT s.tracking_number, a.city FROM shipments s JOIN addresses a ON a.id = s.address_id WHERE s.delivered_at IS NULL
=> t:shipments t:addresses r:shipments.tracking_number r:addresses.city r:addresses.id r:shipments.address_id r:shipments.delivered_at

SELECT line1, line2, city, postcode FROM addresses WHERE customer_id = @customerId AND is_default
=> t:addresses r:addresses.line1 r:addresses.line2 r:addresses.city r:addresses.postcode r:addresses.customer_id r:addresses.is_default

SELECT method, sum(amount) FROM payments WHERE paid_at >= date '2024-01-01' GROUP BY method
=> t:payments r:payments.method r:payments.amount r:payments.paid_at

SELECT id FROM payments WHERE reference = $1
=> t:payments r:payments.id r:payments.reference

SELECT order_id, quantity * unit_price * (1 - discount) AS line_total FROM order_items WHERE order_id = @id
=> t:order_items r:order_items.order_id r:order_items.quantity r:order_items.unit_price r:order_items.discount

SELECT o.id, sum(oi.quantity) AS items FROM orders o JOIN order_items oi ON oi.order_id = o.id GROUP BY o.id HAVING sum(oi.quantity) > 10
=> t:orders t:order_items r:orders.id r:order_items.quantity r:order_items.order_id

SELECT product_id FROM order_items GROUP BY product_id ORDER BY sum(quantity) DESC LIMIT 10
=> t:order_items r:order_items.product_id r:order_items.quantity

SELECT c.id, c.name, a.city FROM customers c, addresses a WHERE a.customer_id = c.id AND a.is_default
=> t:customers t:addresses r:customers.id r:customers.name r:addresses.city r:addresses.customer_id r:addresses.is_default

SELECT name FROM customers WHERE referred_by = @id
=> t:customers r:customers.name r:customers.referred_by

SELECT r.name AS referrer, count(*) FROM customers c JOIN customers r ON r.id = c.referred_by GROUP BY r.name
=> t:customers r:customers.name r:customers.id r:customers.referred_by

SELECT id FROM customers WHERE updated_at > @since OR deleted_at > @since
=> t:customers r:customers.id r:customers.updated_at r:customers.deleted_at

SELECT 1
=> 

SELECT now()
=> 

SELECT id, total FROM orders WHERE id = @Id;
=> t:orders r:orders.id r:orders.total

SELECT id, name FROM customers WHERE id = @id; SELECT id, total FROM orders WHERE customer_id = @id
=> t:customers t:orders r:customers.id r:customers.name r:orders.id r:orders.total r:orders.customer_id

SELECT count(*) FROM products; SELECT count(*) FROM categories;
=> t:products t:categories

SELECT -- the list
  id, /* name */ name
FROM products -- all of them
=> t:products r:products.id r:products.name

SELECT id FROM products WHERE description = $$it's "quoted"$$
=> t:products r:products.id r:products.description

SELECT id FROM products WHERE name = E'O\'Brien'
=> t:products r:products.id r:products.name

SELECT id FROM products WHERE name = 'it''s'
=> t:products r:products.id r:products.name

SELECT COUNT(*) AS n FROM Orders WHERE Status = @s
=> t:orders r:orders.status

SELECT ARRAY[id, category_id] FROM products
=> t:products r:products.id r:products.category_id

SELECT (attributes -> 'sizes')[1] FROM products
=> t:products r:products.attributes

SELECT id FROM products ORDER BY price * stock DESC
=> t:products r:products.id r:products.price r:products.stock

SELECT p.name, x.total FROM products p JOIN (SELECT product_id, sum(quantity) total FROM order_items GROUP BY product_id) x ON x.product_id = p.id
=> t:products t:order_items r:products.name r:order_items.product_id r:order_items.quantity r:products.id

WITH totals AS (SELECT order_id, sum(amount) AS paid FROM payments GROUP BY order_id) SELECT o.id, o.total - coalesce(t.paid, 0) AS due FROM orders o LEFT JOIN totals t ON t.order_id = o.id
=> t:payments t:orders r:payments.order_id r:payments.amount r:orders.id r:orders.total

WITH a AS (SELECT id FROM users WHERE role = 'admin'), b AS (SELECT user_id FROM sessions WHERE expires_at > now()) SELECT a.id FROM a JOIN b ON b.user_id = a.id
=> t:users t:sessions r:users.id r:users.role r:sessions.user_id r:sessions.expires_at

SELECT id FROM (VALUES (1), (2)) AS v(id)
=> 

SELECT p.id, v.qty FROM products p JOIN (VALUES (@a, 1), (@b, 2)) v(sku, qty) ON v.sku = p.sku
=> t:products r:products.id r:products.sku

SELECT e.id FROM events e WHERE e.kind IN ('a', 'b') AND e.occurred_at::date BETWEEN @from AND @to
=> t:events r:events.id r:events.kind r:events.occurred_at

INSERT INTO customers (name, email, status) VALUES (@name, @email, 'active')
=> T:customers w:customers.name w:customers.email w:customers.status

INSERT INTO customers (name, email) VALUES (@Name, @Email) RETURNING id
=> T:customers w:customers.name w:customers.email r:customers.id

insert into orders (customer_id, status, total, currency, placed_at) values (@customerId, 'new', @total, @currency, now()) returning id, placed_at
=> T:orders w:orders.customer_id w:orders.status w:orders.total w:orders.currency w:orders.placed_at r:orders.id r:orders.placed_at

INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (@orderId, @productId, @quantity, @unitPrice)
=> T:order_items w:order_items.order_id w:order_items.product_id w:order_items.quantity w:order_items.unit_price

INSERT INTO tags (name) VALUES (@name) ON CONFLICT (name) DO NOTHING
=> T:tags w:tags.name r:tags.name

INSERT INTO product_tags (product_id, tag_id) VALUES (@productId, @tagId) ON CONFLICT DO NOTHING
=> T:product_tags w:product_tags.product_id w:product_tags.tag_id

INSERT INTO inventory (product_id, warehouse_id, quantity) VALUES (@p, @w, @q) ON CONFLICT (product_id, warehouse_id) DO UPDATE SET quantity = inventory.quantity + EXCLUDED.quantity
=> T:inventory w:inventory.product_id w:inventory.warehouse_id w:inventory.quantity r:inventory.product_id r:inventory.warehouse_id r:inventory.quantity

INSERT INTO app.settings (key, value, updated_at) VALUES (@key, @value, now()) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
=> T:app.settings w:app.settings.key w:app.settings.value w:app.settings.updated_at r:app.settings.key

INSERT INTO customers (email, name) VALUES (@email, @name) ON CONFLICT ON CONSTRAINT customers_email_key DO UPDATE SET name = EXCLUDED.name WHERE customers.deleted_at IS NULL
=> T:customers w:customers.email w:customers.name r:customers.deleted_at

INSERT INTO audit_log (actor_id, action, entity, entity_id, payload) VALUES (@actor, @action, 'order', @id, @payload::jsonb)
=> T:audit_log w:audit_log.actor_id w:audit_log.action w:audit_log.entity w:audit_log.entity_id w:audit_log.payload

INSERT INTO events (kind, payload) SELECT 'order.placed', to_jsonb(o) FROM orders o WHERE o.id = @id
=> T:events w:events.kind w:events.payload t:orders r:orders.id

INSERT INTO invoice_lines (invoice_id, description, amount, quantity) SELECT @invoiceId, p.name, oi.unit_price, oi.quantity FROM order_items oi JOIN products p ON p.id = oi.product_id WHERE oi.order_id = @orderId
=> T:invoice_lines w:invoice_lines.invoice_id w:invoice_lines.description w:invoice_lines.amount w:invoice_lines.quantity t:order_items t:products r:products.name r:order_items.unit_price r:order_items.quantity r:products.id r:order_items.product_id r:order_items.order_id

INSERT INTO tags VALUES (@id, @name)
=> T:tags

INSERT INTO sessions (user_id, token, expires_at) VALUES (@userId, @token, now() + interval '30 days')
=> T:sessions w:sessions.user_id w:sessions.token w:sessions.expires_at

INSERT INTO jobs (queue, payload, run_at) VALUES (@queue, @payload, coalesce(@runAt, now()))
=> T:jobs w:jobs.queue w:jobs.payload w:jobs.run_at

INSERT INTO categories (name, slug, parent_id) VALUES (@name, lower(@name), NULL) RETURNING *
=> T:categories w:categories.name w:categories.slug w:categories.parent_id *:categories

INSERT INTO orgs DEFAULT VALUES RETURNING id
=> T:orgs r:orgs.id

INSERT INTO "Users" ("Email", "DisplayName") VALUES (@Email, @DisplayName)
=> T:Users w:Users.Email w:Users.DisplayName

INSERT INTO public.payments (order_id, amount, method, status) VALUES (@orderId, @amount, @method, 'pending')
=> T:public.payments w:public.payments.order_id w:public.payments.amount w:public.payments.method w:public.payments.status

INSERT INTO reviews (product_id, customer_id, rating, body) VALUES (@ProductId, @CustomerId, @Rating, @Body)
=> T:reviews w:reviews.product_id w:reviews.customer_id w:reviews.rating w:reviews.body

INSERT INTO coupons (code, percent_off, expires_at, max_uses, used) VALUES (@code, @pct, @exp, @max, 0)
=> T:coupons w:coupons.code w:coupons.percent_off w:coupons.expires_at w:coupons.max_uses w:coupons.used

INSERT INTO subscriptions (org_id, plan_id, starts_at, status) SELECT @orgId, id, now(), 'trial' FROM plans WHERE name = @plan
=> T:subscriptions w:subscriptions.org_id w:subscriptions.plan_id w:subscriptions.starts_at w:subscriptions.status t:plans r:plans.id r:plans.name

WITH new_order AS (INSERT INTO orders (customer_id, total) VALUES (@c, @t) RETURNING id) INSERT INTO payments (order_id, amount) SELECT id, @t FROM new_order
=> T:orders w:orders.customer_id w:orders.total r:orders.id T:payments w:payments.order_id w:payments.amount

UPDATE customers SET email = @email, updated_at = now() WHERE id = @id
=> T:customers w:customers.email w:customers.updated_at r:customers.id

UPDATE orders SET status = 'shipped', shipped_at = now() WHERE id = @id AND status = 'paid'
=> T:orders w:orders.status w:orders.shipped_at r:orders.id r:orders.status

UPDATE products SET stock = stock - @quantity WHERE id = @id AND stock >= @quantity
=> T:products w:products.stock r:products.stock r:products.id

UPDATE coupons SET used = used + 1 WHERE code = @code RETURNING used, max_uses
=> T:coupons w:coupons.used r:coupons.used r:coupons.code r:coupons.max_uses

UPDATE orders o SET total = s.sum FROM (SELECT order_id, sum(quantity * unit_price) AS sum FROM order_items GROUP BY order_id) s WHERE s.order_id = o.id
=> T:orders w:orders.total r:orders.id t:order_items r:order_items.order_id r:order_items.quantity r:order_items.unit_price

UPDATE shipments SET delivered_at = @at FROM orders WHERE orders.id = shipments.order_id AND orders.customer_id = @customerId
=> T:shipments w:shipments.delivered_at t:orders r:orders.id r:shipments.order_id r:orders.customer_id

UPDATE jobs SET locked_at = now(), locked_by = @worker, attempts = attempts + 1 WHERE id = (SELECT id FROM jobs WHERE status = 'queued' ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, payload
=> T:jobs w:jobs.locked_at w:jobs.locked_by w:jobs.attempts r:jobs.attempts r:jobs.id r:jobs.status r:jobs.run_at r:jobs.payload

UPDATE users SET last_login_at = now() WHERE id = @Id
=> T:users w:users.last_login_at r:users.id

UPDATE events SET processed_at = now() WHERE id = ANY(@ids)
=> T:events w:events.processed_at r:events.id

UPDATE inventory SET reserved = reserved + @qty WHERE product_id = @productId AND warehouse_id = @warehouseId AND quantity - reserved >= @qty
=> T:inventory w:inventory.reserved r:inventory.reserved r:inventory.product_id r:inventory.warehouse_id r:inventory.quantity

UPDATE addresses SET is_default = (id = @id) WHERE customer_id = @customerId
=> T:addresses w:addresses.is_default r:addresses.id r:addresses.customer_id

UPDATE invoices SET status = 'overdue' WHERE status = 'open' AND due_at < now()
=> T:invoices w:invoices.status r:invoices.status r:invoices.due_at

UPDATE subscriptions SET (status, ends_at) = ('cancelled', now()) WHERE id = @id
=> T:subscriptions w:subscriptions.status w:subscriptions.ends_at r:subscriptions.id

UPDATE employees e SET salary = e.salary * 1.1 FROM departments d WHERE d.id = e.department_id AND d.name = @dept
=> T:employees w:employees.salary r:employees.salary t:departments r:departments.id r:employees.department_id r:departments.name

UPDATE products SET attributes = attributes || @patch::jsonb WHERE id = @id
=> T:products w:products.attributes r:products.attributes r:products.id

UPDATE ONLY orders SET note = NULL WHERE note = ''
=> T:orders w:orders.note r:orders.note

UPDATE "Customers" SET "Tier" = @tier WHERE "Id" = @id
=> T:Customers w:Customers.Tier r:Customers.Id

UPDATE app.settings SET value = @value WHERE key = @key
=> T:app.settings w:app.settings.value r:app.settings.key

UPDATE customers SET status = 'dormant' WHERE id IN (SELECT c.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id HAVING max(o.placed_at) < now() - interval '1 year')
=> T:customers w:customers.status r:customers.id t:orders r:orders.customer_id r:orders.placed_at

WITH moved AS (DELETE FROM jobs WHERE status = 'done' RETURNING id, payload) INSERT INTO events (kind, payload) SELECT 'job.archived', payload FROM moved
=> T:jobs r:jobs.status r:jobs.id r:jobs.payload T:events w:events.kind w:events.payload

DELETE FROM sessions WHERE expires_at < now()
=> T:sessions r:sessions.expires_at

DELETE FROM sessions WHERE user_id = @userId RETURNING id
=> T:sessions r:sessions.user_id r:sessions.id

DELETE FROM product_tags WHERE product_id = @productId AND tag_id = @tagId
=> T:product_tags r:product_tags.product_id r:product_tags.tag_id

DELETE FROM order_items oi USING orders o WHERE o.id = oi.order_id AND o.status = 'cancelled'
=> T:order_items t:orders r:orders.id r:order_items.order_id r:orders.status

DELETE FROM customers WHERE deleted_at < now() - interval '30 days' AND NOT EXISTS (SELECT 1 FROM orders WHERE orders.customer_id = customers.id)
=> T:customers r:customers.deleted_at t:orders r:orders.customer_id r:customers.id

DELETE FROM events WHERE id IN (SELECT id FROM events WHERE processed_at IS NOT NULL ORDER BY processed_at LIMIT 1000)
=> T:events r:events.id r:events.processed_at

DELETE FROM audit_log a WHERE a.created_at < @cutoff
=> T:audit_log r:audit_log.created_at

DELETE FROM public.tags WHERE name = @name
=> T:public.tags r:public.tags.name

DELETE FROM "Sessions" WHERE "Token" = @token
=> T:Sessions r:Sessions.Token

SELECT o.id, o.status, p.status AS payment_status FROM orders o LEFT JOIN payments p ON p.order_id = o.id WHERE o.customer_id = @customerId
=> t:orders t:payments r:orders.id r:orders.status r:payments.status r:payments.order_id r:orders.customer_id

SELECT id, name FROM products WHERE category_id IN (SELECT id FROM categories WHERE parent_id = @parent) AND active
=> t:products t:categories r:products.id r:products.name r:products.category_id r:categories.id r:categories.parent_id r:products.active

SELECT c.slug, count(p.id) FROM categories c LEFT JOIN products p ON p.category_id = c.id AND p.active GROUP BY c.slug
=> t:categories t:products r:categories.slug r:products.id r:products.category_id r:categories.id r:products.active

SELECT u.email, s.created_at FROM users u JOIN sessions s ON s.user_id = u.id ORDER BY s.created_at DESC LIMIT 50
=> t:users t:sessions r:users.email r:sessions.created_at r:sessions.user_id r:users.id

SELECT id FROM users WHERE email = @email AND password_hash = crypt(@password, password_hash)
=> t:users r:users.id r:users.email r:users.password_hash

SELECT plan_id, count(*) AS orgs FROM orgs GROUP BY plan_id
=> t:orgs r:orgs.plan_id

SELECT p.name, p.seats, p.price FROM plans p ORDER BY p.price
=> t:plans r:plans.name r:plans.seats r:plans.price

SELECT id FROM invoices WHERE number = @number FOR UPDATE
=> t:invoices r:invoices.id r:invoices.number

SELECT id FROM orders WHERE customer_id = @id FOR SHARE
=> t:orders r:orders.id r:orders.customer_id

SELECT quantity FROM inventory WHERE product_id = @p AND warehouse_id = @w FOR NO KEY UPDATE NOWAIT
=> t:inventory r:inventory.quantity r:inventory.product_id r:inventory.warehouse_id

SELECT e.name, d.name AS department, d.budget FROM employees e JOIN departments d ON d.id = e.department_id WHERE e.hired_at > @since
=> t:employees t:departments r:employees.name r:departments.name r:departments.budget r:departments.id r:employees.department_id r:employees.hired_at

SELECT name FROM employees WHERE manager_id IS NULL
=> t:employees r:employees.name r:employees.manager_id

SELECT id, kind FROM events WHERE occurred_at > @since AND kind <> ALL(@ignored)
=> t:events r:events.id r:events.kind r:events.occurred_at

SELECT sku, name, price FROM products WHERE id = @id
=> t:products r:products.sku r:products.name r:products.price r:products.id

SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id AND c.country = @country JOIN addresses a ON a.customer_id = c.id
=> t:orders t:customers t:addresses r:orders.id r:customers.id r:orders.customer_id r:customers.country r:addresses.customer_id

SELECT count(*) FROM orders WHERE coupon_id IS NOT NULL
=> t:orders r:orders.coupon_id

SELECT c.code, count(o.id) FROM coupons c LEFT JOIN orders o ON o.coupon_id = c.id GROUP BY c.code
=> t:coupons t:orders r:coupons.code r:orders.id r:orders.coupon_id r:coupons.id

SELECT to_char(issued_at, 'YYYY-MM') AS month, sum(total) FROM invoices GROUP BY month
=> t:invoices r:invoices.issued_at r:invoices.total

SELECT id, total, currency FROM orders WHERE currency = 'EUR' AND total >= 100.50
=> t:orders r:orders.id r:orders.total r:orders.currency

SELECT id FROM orders WHERE placed_at >= @from::timestamptz AND placed_at < @to::timestamptz
=> t:orders r:orders.id r:orders.placed_at

SELECT id, body FROM reviews WHERE rating <= 2 AND body IS NOT NULL
=> t:reviews r:reviews.id r:reviews.body r:reviews.rating

SELECT product_id, avg(rating) AS score, count(*) AS n FROM reviews GROUP BY product_id HAVING count(*) >= 5 ORDER BY score DESC
=> t:reviews r:reviews.product_id r:reviews.rating

SELECT w.city, sum(i.quantity) FROM warehouses w JOIN inventory i ON i.warehouse_id = w.id GROUP BY w.city
=> t:warehouses t:inventory r:warehouses.city r:inventory.quantity r:inventory.warehouse_id r:warehouses.id

SELECT id FROM orders WHERE NOT (status = ANY(ARRAY['cancelled', 'refunded']))
=> t:orders r:orders.id r:orders.status

SELECT id FROM customers WHERE (tier = 'gold' AND country = 'DE') OR (tier = 'platinum')
=> t:customers r:customers.id r:customers.tier r:customers.country

SELECT o.id, p.amount FROM orders AS o INNER JOIN payments AS p ON o.id = p.order_id
=> t:orders t:payments r:orders.id r:payments.amount r:payments.order_id

SELECT c.id FROM customers c WHERE c.email IN (SELECT u.email FROM users u WHERE u.role = 'customer')
=> t:customers t:users r:customers.id r:customers.email r:users.email r:users.role

SELECT name FROM products WHERE price > ALL (SELECT price FROM products WHERE category_id = @cat)
=> t:products r:products.name r:products.price r:products.category_id

SELECT max(placed_at) FROM orders
=> t:orders r:orders.placed_at

SELECT id, row_number() OVER w AS n FROM orders WINDOW w AS (PARTITION BY customer_id ORDER BY placed_at)
=> t:orders r:orders.id r:orders.customer_id r:orders.placed_at

SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY total) FROM orders
=> t:orders r:orders.total

SELECT u.id FROM users u WHERE u.org_id = @org AND u.id <> @me AND u.role IN ('admin', 'owner')
=> t:users r:users.id r:users.org_id r:users.role

SELECT a.id FROM addresses a WHERE a.customer_id = @c ORDER BY a.is_default DESC, a.id
=> t:addresses r:addresses.id r:addresses.customer_id r:addresses.is_default

SELECT count(*) AS total, count(*) FILTER (WHERE delivered_at IS NOT NULL) AS delivered FROM shipments WHERE shipped_at > @since
=> t:shipments r:shipments.delivered_at r:shipments.shipped_at

SELECT id FROM products WHERE to_tsvector('english', name || ' ' || coalesce(description, '')) @@ plainto_tsquery('english', @q)
=> t:products r:products.id r:products.name r:products.description

SELECT id FROM jobs WHERE queue = @queue AND status = 'running' AND locked_at < now() - interval '5 minutes'
=> t:jobs r:jobs.id r:jobs.queue r:jobs.status r:jobs.locked_at

UPDATE jobs SET status = 'queued', locked_at = NULL, locked_by = NULL WHERE status = 'running' AND locked_at < @cutoff
=> T:jobs w:jobs.status w:jobs.locked_at w:jobs.locked_by r:jobs.status r:jobs.locked_at

DELETE FROM jobs WHERE id = @id AND locked_by = @worker
=> T:jobs r:jobs.id r:jobs.locked_by

INSERT INTO warehouses (name, city) VALUES (@name, @city), (@name2, @city2)
=> T:warehouses w:warehouses.name w:warehouses.city

SELECT id FROM categories WHERE slug = @slug
=> t:categories r:categories.id r:categories.slug

SELECT id, name FROM customers WHERE to_char(created_at, 'YYYY') = @year AND status = 'active' ORDER BY name COLLATE "C"
=> t:customers r:customers.id r:customers.name r:customers.created_at r:customers.status

SELECT o.id FROM orders o LEFT JOIN shipments s ON s.order_id = o.id WHERE s.id IS NULL AND o.status = 'paid'
=> t:orders t:shipments r:orders.id r:shipments.order_id r:shipments.id r:orders.status
