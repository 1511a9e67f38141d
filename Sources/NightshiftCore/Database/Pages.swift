/// Keyset pagination: a table read a page at a time in key order, so memory stays flat however
/// many rows there are. `fetch` is given the last key of the page before (0 at first); an empty
/// page ends the walk.
public func forEachPage<Item>(key: (Item) -> Int, fetch: (_ after: Int) throws -> [Item], _ body: ([Item]) throws -> Void) throws {
    var after = 0
    while true {
        let page = try fetch(after)
        guard let last = page.last else { return }
        after = key(last)
        try body(page)
    }
}
