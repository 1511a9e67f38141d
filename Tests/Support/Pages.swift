/// Listing pages in the shape of each built-in site, for tests, the demo and benchmarks.
public enum Pages {
    public struct Cast {
        public let id: String
        public let name: String
        public let status: String
        public init(_ id: String, _ name: String, _ status: String) {
            self.id = id
            self.name = name
            self.status = status
        }
    }

    public static func cityheaven(_ casts: [Cast], next: String? = nil, charset: String? = nil) -> String {
        let meta = charset.map { "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=\($0)\">" } ?? "<meta charset=\"utf-8\">"
        let items = casts.map { cast in
            """
            <li class="girl" data-girl-id="\(cast.id)">
              <a href="/tokyo/A1304/shop/girlid-\(cast.id)/"><p class="girl_name">\(cast.name)</p></a>
              <div class="shukkin"><span class="shukkin_status">\(cast.status)</span></div>
            </li>
            """
        }.joined(separator: "\n")
        let pager = next.map { "<div class=\"pager\"><a rel=\"next\" href=\"\($0)\">次へ</a></div>" } ?? ""
        return "<!DOCTYPE html><html><head>\(meta)<title>在籍一覧</title></head><body><ul class=\"girllist\">\n\(items)\n</ul>\(pager)</body></html>"
    }

    public static func dto(_ casts: [Cast], next: String? = nil, charset: String? = nil) -> String {
        let meta = charset.map { "<meta charset=\"\($0)\">" } ?? ""
        let items = casts.map { cast in
            "<div class=\"cast-box\" id=\"cast_\(cast.id)\"><h3 class=\"cast-name\">\(cast.name)</h3><span class=\"cast-state\">\(cast.status)</span></div>"
        }.joined(separator: "\n")
        let paging = next.map { "<ul class=\"paging\"><li class=\"next\"><a href=\"\($0)\">次</a></li></ul>" } ?? ""
        return "<html><head>\(meta)</head><body><div id=\"cast-list\">\n\(items)\n</div>\(paging)</body></html>"
    }
}
