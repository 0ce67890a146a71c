-- Run the SQL Server dialect's statements on YOUR server, in a scratch database, before trusting it.
-- Migrator's own tests never ran them on a server (none can run where it is built): they only parse
-- them with ScriptDom. Run with sample-schemas/sqlserver/cycle.sh, which stops at the first error (sqlcmd -b).
-- Each statement between the markers is copied verbatim from tests/Migrator.Tests/Dialects/Golden/
-- sqlserver.sql (a test checks that), the rest sets up and checks.
SET XACT_ABORT ON;
SET NOCOUNT ON;
IF OBJECT_ID(N'[dbo].[customers]', N'U') IS NOT NULL THROW 50000, 'dbo.customers exists: run this in an empty scratch database', 1;
CREATE TABLE [dbo].[customers] ([id] bigint IDENTITY PRIMARY KEY, [name] nvarchar(200) NOT NULL, [email] nvarchar(320) NOT NULL);
INSERT INTO [dbo].[customers] ([name], [email]) SELECT TOP (5000) N'c' + CAST(ROW_NUMBER() OVER (ORDER BY (SELECT 1)) AS nvarchar(10)), N'old@example.com' FROM sys.all_objects a CROSS JOIN sys.all_objects b;
GO
-- >>> expand: add column
ALTER TABLE [dbo].[customers] ADD [email_address] nvarchar(320) NULL;
GO
-- >>> expand: sync trigger
CREATE OR ALTER TRIGGER [dbo].[migrator_sync_202612030001_email_address] ON [dbo].[customers] AFTER INSERT, UPDATE AS
BEGIN
    SET NOCOUNT ON;
    IF TRIGGER_NESTLEVEL(@@PROCID) > 1 RETURN;
    IF CAST(SESSION_CONTEXT(N'migrator.backfill') AS nvarchar(10)) = N'on' RETURN;
    UPDATE t SET t.[email] = v.[value_0]
    FROM [dbo].[customers] AS t
    JOIN inserted AS i ON t.[id] = i.[id]
    LEFT JOIN deleted AS d ON d.[id] = i.[id]
    CROSS APPLY (SELECT ([email_address]) AS [value_0] FROM (VALUES (i.[id], i.[email_address])) AS s ([id], [email_address])) AS v
    WHERE ((d.[id] IS NULL) AND (i.[email_address] IS NOT NULL)) OR (NOT (d.[id] IS NULL) AND (NOT EXISTS (SELECT i.[email_address] INTERSECT SELECT d.[email_address])));
    UPDATE t SET t.[email_address] = v.[value_0]
    FROM [dbo].[customers] AS t
    JOIN inserted AS i ON t.[id] = i.[id]
    LEFT JOIN deleted AS d ON d.[id] = i.[id]
    CROSS APPLY (SELECT ([email]) AS [value_0] FROM (VALUES (i.[id], i.[email])) AS s ([id], [email])) AS v
    WHERE NOT (((d.[id] IS NULL) AND (i.[email_address] IS NOT NULL)) OR (NOT (d.[id] IS NULL) AND (NOT EXISTS (SELECT i.[email_address] INTERSECT SELECT d.[email_address])))) AND ((d.[id] IS NULL) OR (NOT EXISTS (SELECT i.[email] INTERSECT SELECT d.[email])) OR (i.[email_address] IS NULL));
END;
GO
-- The old version writes many rows at once: each gets the new column.
INSERT INTO [dbo].[customers] ([name], [email]) VALUES (N'v1-a', N'a@old'), (N'v1-b', N'b@old');
IF (SELECT COUNT(*) FROM [dbo].[customers] WHERE [name] LIKE N'v1-%' AND [email_address] = [email]) <> 2 THROW 50001, 'multi-row insert by the old version not mirrored', 1;
-- The new version writes the new column: the old one follows, on every row of the statement.
INSERT INTO [dbo].[customers] ([name], [email], [email_address]) VALUES (N'v2-a', N'ignored', N'a@new'), (N'v2-b', N'ignored', N'b@new');
IF (SELECT COUNT(*) FROM [dbo].[customers] WHERE [name] LIKE N'v2-%' AND [email] = [email_address] AND [email] LIKE N'%@new') <> 2 THROW 50002, 'multi-row insert by the new version not mirrored', 1;
UPDATE [dbo].[customers] SET [email] = N'changed@old' WHERE [name] LIKE N'v1-%';
IF (SELECT COUNT(*) FROM [dbo].[customers] WHERE [name] LIKE N'v1-%' AND [email_address] = N'changed@old') <> 2 THROW 50003, 'multi-row update by the old version not mirrored', 1;
UPDATE [dbo].[customers] SET [email_address] = N'changed@new' WHERE [name] LIKE N'v2-%';
IF (SELECT COUNT(*) FROM [dbo].[customers] WHERE [name] LIKE N'v2-%' AND [email] = N'changed@new') <> 2 THROW 50004, 'multi-row update by the new version not mirrored', 1;
GO
-- >>> backfill: batches of 500 until none is left, with the backfill's session key set
EXEC sp_set_session_context @key = N'migrator.backfill', @value = N'on';
DECLARE @has_last bit = 0, @last_0 bigint = NULL, @done int = 1, @batches int = 0;
DECLARE @keys TABLE (id bigint);
WHILE @done > 0
BEGIN
    DELETE FROM @keys;
    INSERT INTO @keys EXEC sp_executesql N'DECLARE @upper_0 bigint;
SELECT TOP (1) @upper_0 = u.[id]
FROM (SELECT TOP (500) [id] FROM [dbo].[customers] WITH (READPAST)
      WHERE (@has_last = 0 OR ([id] > @last_0)) AND ([email_address] IS NULL)
      ORDER BY [id]) AS u
ORDER BY u.[id] DESC;
UPDATE t SET [email_address] = [email]
OUTPUT inserted.[id]
FROM [dbo].[customers] AS t WITH (ROWLOCK, READPAST)
WHERE (@has_last = 0 OR ([id] > @last_0)) AND NOT (t.[id] > @upper_0) AND ([email_address] IS NULL);', N'@has_last bit, @last_0 bigint', @has_last, @last_0;
    SELECT @done = COUNT(*), @last_0 = MAX(id) FROM @keys;
    SET @has_last = CASE WHEN @last_0 IS NULL THEN @has_last ELSE 1 END;
    SET @batches += 1;
    IF @batches > 100 THROW 50005, 'the backfill does not end', 1;
END;
EXEC sp_set_session_context @key = N'migrator.backfill', @value = NULL;
IF EXISTS (SELECT 1 FROM [dbo].[customers] WHERE [email_address] IS NULL) THROW 50006, 'rows left without email_address after the backfill', 1;
GO
-- >>> contract: prove NOT NULL
ALTER TABLE [dbo].[customers] WITH NOCHECK ADD CONSTRAINT [migrator_nn_1_email_address] CHECK ([email_address] IS NOT NULL);
GO
ALTER TABLE [dbo].[customers] WITH CHECK CHECK CONSTRAINT [migrator_nn_1_email_address];
GO
IF (SELECT is_not_trusted FROM sys.check_constraints WHERE name = N'migrator_nn_1_email_address') <> 0 THROW 50007, 'the NOT NULL check is not trusted', 1;
GO
-- >>> contract: drop the trigger
DROP TRIGGER IF EXISTS [dbo].[migrator_sync_202612030001_email_address];
GO
DROP TABLE [dbo].[customers];
PRINT 'sqlserver-check: every statement ran and every check held';
