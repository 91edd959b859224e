/// Key/value settings of a store (`public_key`, `created`, id floors); not chained, and so never trusted
/// by `log verify` without a check against the chain or the exported key.
enum StoreMeta {
    static func get(_ session: any SQLSession, _ key: String) throws -> String? {
        try session.scalar("SELECT value FROM store_meta WHERE key = ?", [.text(key)])?.text
    }

    static func set(_ session: any SQLSession, _ key: String, _ value: String) throws {
        try session.execute(
            "INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [.text(key), .text(value)])
    }
}
