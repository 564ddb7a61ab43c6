//! `schemadoc report`: the self-contained HTML page, opened in headless Chromium over the WebDriver
//! protocol (ChromeDriver), and progress on a terminal. The browser test needs `chromium` and
//! `chromedriver` (Debian packages `chromium`, `chromium-driver`), the diagram Graphviz `dot`: each
//! is skipped with a note when missing, except under `CI=true`, where a missing one fails.

use serde_json::{json, Value};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn schemadoc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schemadoc")).args(args).output().expect("schemadoc runs")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "exit {:?}: {}", o.status.code(), String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

fn graphviz() -> bool {
    let found = Command::new("dot").arg("-V").output().is_ok_and(|o| o.status.success());
    assert!(found || !ci(), "CI=true but Graphviz `dot` is not installed");
    found
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("schemadoc-report-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// An online bookshop's design, in Korean and English, in three sections; `주문_상품.book_id` has no
/// index (a finding), and the order tables have Korean names.
const BOOKSHOP: &str = "# 온라인 서점 데이터베이스 설계

Bookshop 서비스의 회원, 도서, 주문을 관리하는 스키마다.

## 회원과 도서

```sql
CREATE TABLE members (
  id BIGINT PRIMARY KEY,
  email VARCHAR(200) NOT NULL UNIQUE, -- 로그인 이메일
  nickname VARCHAR(50) NOT NULL, -- 표시 이름
  joined_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE authors (
  id BIGINT PRIMARY KEY,
  name VARCHAR(100) NOT NULL -- 저자 이름
);

CREATE TABLE books (
  id BIGINT PRIMARY KEY,
  isbn CHAR(13) NOT NULL UNIQUE,
  title VARCHAR(300) NOT NULL, -- 도서 제목
  author_id BIGINT NOT NULL REFERENCES authors(id),
  price DECIMAL(10, 2) NOT NULL CHECK (price >= 0)
);
CREATE INDEX idx_books_author ON books (author_id);
```

## 주문

```sql
CREATE TABLE 주문 (
  id BIGINT PRIMARY KEY,
  member_id BIGINT NOT NULL REFERENCES members(id),
  status VARCHAR(20) NOT NULL DEFAULT 'pending',
  ordered_at TIMESTAMP NOT NULL
);
CREATE INDEX idx_order_member ON 주문 (member_id);

CREATE TABLE 주문_상품 (
  order_id BIGINT NOT NULL REFERENCES 주문(id) ON DELETE CASCADE,
  book_id BIGINT NOT NULL REFERENCES books(id),
  quantity INT NOT NULL DEFAULT 1,
  PRIMARY KEY (order_id, book_id)
);
```

## Reviews

```sql
CREATE TABLE reviews (
  id BIGINT PRIMARY KEY,
  member_id BIGINT NOT NULL REFERENCES members(id),
  book_ref BIGINT NOT NULL REFERENCES books(id),
  rating SMALLINT NOT NULL,
  body TEXT
);
CREATE INDEX idx_reviews_member ON reviews (member_id);
CREATE INDEX idx_reviews_book ON reviews (book_ref);
```
";

// ---------------------------------------------------------------------------------------------
// A minimal WebDriver client.

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A ChromeDriver process and one headless Chromium session; both end when dropped.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
}

impl Browser {
    /// Starts ChromeDriver on a free port and a headless Chromium session, or says why it cannot.
    fn start(profile: &Path) -> Result<Browser, String> {
        let chromium = which(&["chromium", "chromium-browser", "google-chrome"]).ok_or("chromium is not installed")?;
        let chromedriver = which(&["chromedriver"]).ok_or("chromedriver is not installed")?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", chromedriver.display()))?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .build()
            .into();
        let mut browser = Browser { driver, base: format!("http://127.0.0.1:{port}"), session: String::new(), agent };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = browser
                .agent
                .get(format!("{}/status", browser.base))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_json::<Value>().ok())
                .is_some_and(|v| v["value"]["ready"] == json!(true));
            if ready {
                break;
            }
            if Instant::now() > deadline {
                return Err("chromedriver did not become ready in 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1400,1000", "--hide-scrollbars", format!("--user-data-dir={}", profile.display())]
            }
        }}});
        let created = browser.call("POST", "/session", Some(capabilities));
        browser.session =
            created["sessionId"].as_str().ok_or_else(|| format!("no session was created: {created}"))?.to_string();
        Ok(browser)
    }

    /// A WebDriver command; the response's `value` (errors fail the test, naming the command).
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = if path == "/session" {
            format!("{}/session", self.base)
        } else {
            format!("{}/session/{}{path}", self.base, self.session)
        };
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, body) => self.agent.post(&url).send_json(body.unwrap_or_else(|| json!({}))),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status();
        let value: Value = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_json()
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        assert!(status.is_success(), "{method} {path}: {status}: {}", value["value"]);
        value["value"].clone()
    }

    fn script(&self, script: &str) -> Value {
        self.call("POST", "/execute/sync", Some(json!({"script": script, "args": []})))
    }

    fn find(&self, css: &str) -> String {
        let found = self.call("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        found[ELEMENT].as_str().unwrap_or_else(|| panic!("no element {css}: {found}")).to_string()
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        self.call("POST", &format!("/element/{id}/click"), None);
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.call("POST", &format!("/element/{id}/value"), Some(json!({ "text": text })));
    }

    fn screenshot(&self, path: &Path) -> Vec<u8> {
        let png = base64_decode(self.call("GET", "/screenshot", None).as_str().expect("base64 screenshot"));
        std::fs::write(path, &png).expect("write screenshot");
        png
    }

    /// The `data-name` of every table section the page shows.
    fn visible_tables(&self) -> Vec<String> {
        let v = self.script(
            "return Array.from(document.querySelectorAll('article.table')).filter(a => a.offsetParent !== null && a.getClientRects().length > 0).map(a => a.dataset.name);",
        );
        serde_json::from_value(v).expect("names")
    }

    /// The names of the tables listed in the sidebar that are shown.
    fn visible_list(&self) -> Vec<String> {
        let v = self.script(
            "return Array.from(document.querySelectorAll('#table-list li')).filter(li => li.offsetParent !== null).map(li => li.querySelector('a').textContent);",
        );
        serde_json::from_value(v).expect("names")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.agent.delete(format!("{}/session/{}", self.base, self.session)).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn which(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().flat_map(|n| std::env::split_paths(&path).map(move |d| d.join(n))).find(|p| p.is_file())
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let bytes: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace() && *b != b'=').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &c)| acc | (value(c) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

#[test]
fn base64_decodes_what_webdriver_sends() {
    assert_eq!(base64_decode("aGVsbG8="), b"hello");
    assert_eq!(base64_decode("iVBORw0KGgo="), b"\x89PNG\r\n\x1a\n");
}

// ---------------------------------------------------------------------------------------------

#[test]
fn the_report_searches_follows_references_and_zooms_in_chromium() {
    let dir = scratch("chromium");
    let doc = dir.join("서점.md");
    std::fs::write(&doc, BOOKSHOP).unwrap();
    let page = dir.join("report.html");
    let printed = ok(&schemadoc(&["report", doc.to_str().unwrap(), "-o", page.to_str().unwrap()]));
    assert!(printed.contains("(6 tables,"), "{printed}");
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: nothing is fetched.
    for external in ["src=\"http", "href=\"http", "<link", "@import", "src=\"//"] {
        assert!(!html.contains(external), "the page refers to {external}");
    }
    let drawn = graphviz();

    let browser = match Browser::start(&dir.join("profile")) {
        Ok(b) => b,
        Err(why) => {
            assert!(!ci(), "CI=true but the browser test cannot run: {why}");
            eprintln!("note: skipping the Chromium test: {why} (Debian: `apt-get install chromium chromium-driver`)");
            return;
        }
    };
    browser.call("POST", "/url", Some(json!({ "url": format!("file://{}", page.display()) })));
    assert_eq!(browser.script("return document.title;"), json!("온라인 서점 데이터베이스 설계"));
    let all = ["members", "authors", "books", "주문", "주문_상품", "reviews"];
    assert_eq!(browser.visible_tables(), all);

    // Typing a table name leaves the tables that match it (by name, column or comment).
    browser.type_into("#search", "주문");
    assert_eq!(browser.script("return document.getElementById('search').value;"), json!("주문"));
    assert_eq!(browser.visible_tables(), ["주문", "주문_상품"]);
    assert_eq!(browser.visible_list(), ["주문", "주문_상품"]);
    assert_eq!(browser.script("return document.getElementById('search-count').textContent;"), json!("2 / 6 테이블"));
    browser.screenshot(&dir.join("search.png"));
    // A comment matches too: 저자 is in authors.name's comment only.
    browser.call("POST", &format!("/element/{}/clear", browser.find("#search")), None);
    browser.type_into("#search", "저자");
    assert_eq!(browser.visible_tables(), ["authors"]);
    browser.call("POST", &format!("/element/{}/clear", browser.find("#search")), None);
    browser.type_into("#search", "주문");

    // Following 주문's reference to members, which the search hides, shows and targets members.
    browser.click("article[data-name='주문'] ul.refs-out a.ref");
    let target = browser.script(
        "const t = document.querySelector(':target'); const r = t && t.getBoundingClientRect(); \
         return t && {id: t.id, name: t.dataset.name, shown: t.offsetParent !== null, \
         inView: r.top >= -1 && r.top < window.innerHeight, hash: decodeURIComponent(location.hash)};",
    );
    assert_eq!(target["name"], json!("members"), "{target}");
    assert_eq!(target["hash"], json!("#t-members"), "{target}");
    assert_eq!(target["shown"], json!(true), "{target}");
    assert_eq!(target["inView"], json!(true), "{target}");
    assert_eq!(browser.visible_tables(), all, "the search was cleared to show the target");
    // members is referenced by 주문 and reviews: links back.
    let back = browser
        .script("return Array.from(document.querySelectorAll('#t-members ul.refs-in a')).map(a => a.textContent);");
    assert_eq!(back, json!(["주문", "reviews"]));
    let png = browser.screenshot(&dir.join("reference.png"));
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000, "a real screenshot");

    // The finding about 주문_상품.book_id is listed with its source line and links to the table.
    let finding = browser.script(
        "const f = Array.from(document.querySelectorAll('li.finding')).find(li => li.textContent.includes('foreign-key-without-index')); \
         return f && {loc: f.querySelector('.loc').textContent, src: f.querySelector('pre.src').textContent, about: f.querySelector('.about a').textContent};",
    );
    assert!(finding["loc"].as_str().unwrap_or_default().contains("서점.md:"), "{finding}");
    assert!(
        finding["src"].as_str().unwrap_or_default().contains("book_id BIGINT NOT NULL REFERENCES books(id)"),
        "{finding}"
    );
    assert_eq!(finding["about"], json!("주문_상품"), "{finding}");

    if drawn {
        // The wheel zooms the diagram around the pointer; a click on a table goes to its section.
        let before = browser.script("return document.getElementById('erd-svg').viewBox.baseVal.width;");
        browser.script(
            "const v = document.getElementById('erd-view'); const r = v.getBoundingClientRect(); \
             v.dispatchEvent(new WheelEvent('wheel', {deltaY: -120, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true}));",
        );
        let after = browser.script("return document.getElementById('erd-svg').viewBox.baseVal.width;");
        assert!(after.as_f64() < before.as_f64(), "zoomed in: {before} → {after}");
        // Dragging moves the picture, and the release is not taken for a click on a table.
        let hash = browser.script("return location.hash;");
        let x = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
        let start = browser.script("return document.getElementById('erd-svg').viewBox.baseVal.x;");
        let view = browser.find("#erd-view");
        browser.call(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [
                {"type": "pointerMove", "origin": {ELEMENT: view}, "x": 0, "y": 0},
                {"type": "pointerDown", "button": 0},
                {"type": "pointerMove", "origin": "pointer", "x": 120, "y": 40, "duration": 100},
                {"type": "pointerUp", "button": 0}
            ]}]})),
        );
        let moved = browser.script("return document.getElementById('erd-svg').viewBox.baseVal.x;");
        assert!(x(&moved) < x(&start) - 1.0, "dragging right shows what is left: {start} → {moved}");
        assert_eq!(browser.script("return location.hash;"), hash, "a drag is not a click");
        browser.click("button[data-zoom='reset']");
        assert_eq!(browser.script("return document.getElementById('erd-svg').viewBox.baseVal.width;"), before);
        let linked = browser.script(
            "return Array.from(document.querySelectorAll('#erd-svg g.node.linked')).map(g => g.dataset.target).sort();",
        );
        assert_eq!(linked.as_array().map(Vec::len), Some(6), "every table's box is linked: {linked}");
        browser.script("document.getElementById('erd').scrollIntoView();");
        browser.click("#erd-svg g.node[data-target='t-books']");
        assert_eq!(browser.script("return document.querySelector(':target').dataset.name;"), json!("books"));
        browser.script("document.getElementById('erd').scrollIntoView();");
        browser.screenshot(&dir.join("erd.png"));
    }
    eprintln!("screenshots in {}", dir.display());
}

#[test]
fn hostile_names_stay_text_and_the_page_is_the_same_every_time() {
    let dir = scratch("escaping");
    let doc = dir.join("evil.md");
    std::fs::write(
        &doc,
        "# Design <script>alert(0)</script> & \"quotes\"\n\n```sql\n\
         CREATE TABLE \"<script>alert(1)</script>\" (\n  id BIGINT PRIMARY KEY, -- it's <b>bold</b> & \"quoted\"\n  \
         \"a&b\" TEXT\n);\nCREATE TABLE \"o'brien\" (\n  id BIGINT PRIMARY KEY,\n  \
         evil_id BIGINT NOT NULL REFERENCES \"<script>alert(1)</script>\"(id)\n);\n```\n",
    )
    .unwrap();
    let first = dir.join("a.html");
    let second = dir.join("b.html");
    ok(&schemadoc(&["report", doc.to_str().unwrap(), "-o", first.to_str().unwrap()]));
    ok(&schemadoc(&["report", doc.to_str().unwrap(), "-o", second.to_str().unwrap()]));
    let html = std::fs::read_to_string(&first).unwrap();
    assert_eq!(std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap(), "byte-identical output");
    assert_eq!(html.matches("<script").count(), 1, "only the page's own script:\n{html}");
    assert!(!html.contains("<b>bold"), "{html}");
    assert!(html.contains("<title>Design &lt;script&gt;alert(0)&lt;/script&gt; &amp; &quot;quotes&quot;</title>"));
    assert!(html.contains("data-name=\"&lt;script&gt;alert(1)&lt;/script&gt;\""), "{html}");
    assert!(html.contains("data-name=\"o&#39;brien\""), "{html}");
    assert!(html.contains("<code>a&amp;b</code>"), "{html}");
    if graphviz() {
        assert!(html.contains("<svg") && html.contains("id=\"erd-svg\""), "the diagram is inline");
    }
}

#[test]
fn without_graphviz_the_report_says_so_and_has_no_picture() {
    let dir = scratch("no-graphviz");
    let doc = dir.join("design.md");
    std::fs::write(&doc, BOOKSHOP).unwrap();
    let page = dir.join("report.html");
    // An empty PATH: `dot` cannot be found.
    let o = Command::new(env!("CARGO_BIN_EXE_schemadoc"))
        .args(["report", doc.to_str().unwrap(), "-o", page.to_str().unwrap(), "--lang", "en"])
        .env("PATH", "")
        .output()
        .unwrap();
    ok(&o);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("warning: the report has no diagram: Graphviz `dot` is not installed"), "{stderr}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("<svg") && html.contains("No diagram: Graphviz `dot` is not installed"), "{html}");
    assert!(html.contains("<h2>Tables</h2>") && html.contains("<html lang=\"en\">"));
}

#[test]
fn a_small_document_renders_to_the_expected_page() {
    let dir = scratch("golden");
    std::fs::write(
        dir.join("library.md"),
        "# Library\n\nMembers borrow books.\n\n```sql\nCREATE TABLE members (\n  id BIGINT PRIMARY KEY,\n  \
         email VARCHAR(200) NOT NULL UNIQUE -- login\n);\nCREATE TABLE loans (\n  id BIGINT PRIMARY KEY,\n  \
         member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,\n  due_on DATE NOT NULL DEFAULT CURRENT_DATE\n);\n```\n",
    )
    .unwrap();
    // Relative paths (the findings name `library.md`) and no Graphviz (its version would show).
    let o = Command::new(env!("CARGO_BIN_EXE_schemadoc"))
        .args(["report", "library.md", "-o", "report.html"])
        .current_dir(&dir)
        .env("PATH", "")
        .output()
        .unwrap();
    ok(&o);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let style = html.find("<style>\n").unwrap() + "<style>\n".len();
    let style_end = html.find("</style>").unwrap();
    let script = html.find("<script>\n").unwrap() + "<script>\n".len();
    let script_end = html.find("</script>").unwrap();
    let page =
        format!("{}/* style */\n{}/* script */\n{}", &html[..style], &html[style_end..script], &html[script_end..]);
    insta::assert_snapshot!(page);
}

#[test]
fn drift_from_a_database_is_in_the_report() {
    let dir = scratch("drift");
    let old = dir.join("old.md");
    std::fs::write(
        &old,
        "# Shop\n\n```sql\nCREATE TABLE members (\n  id BIGINT PRIMARY KEY,\n  nickname VARCHAR(50) NOT NULL,\n  legacy_note TEXT\n);\n```\n",
    )
    .unwrap();
    let db = format!("sqlite://{}", dir.join("shop.db").display());
    ok(&schemadoc(&["apply", old.to_str().unwrap(), "--db", &db]));
    let new = dir.join("new.md");
    std::fs::write(&new, BOOKSHOP).unwrap();
    let page = dir.join("report.html");
    let printed = ok(&schemadoc(&["report", new.to_str().unwrap(), "--db", &db, "-o", page.to_str().unwrap()]));
    assert!(printed.ends_with("(6 tables, 1 finding, 13 differences from the database)\n"), "{printed}");
    let html = std::fs::read_to_string(&page).unwrap();
    let drift = &html[html.find("<section id=\"drift\">").expect("a drift section")..];
    let drift = &drift[..drift.find("</section>").unwrap()];
    assert!(drift.contains("<h2>데이터베이스와의 차이</h2>"), "{drift}");
    assert!(drift.contains("<a href=\"#t-books\">books</a>"), "{drift}");
    assert!(drift.contains("in the document only: the table is missing from the database"), "{drift}");
    assert!(drift.contains("column `legacy_note`: in the database only"), "{drift}");
    assert!(drift.contains("<pre class=\"sql\"><code>CREATE TABLE"), "{drift}");
    assert!(
        drift.contains("<span class=\"hazard\">drop</span> 0 non-null values in members.legacy_note"),
        "dropping legacy_note is a hazard, measured:\n{drift}"
    );
    // Reading only: the database is as it was.
    let again = ok(&schemadoc(&["drift", old.to_str().unwrap(), "--db", &db]));
    assert!(again.contains("no drift"), "{again}");
}

// ---------------------------------------------------------------------------------------------
// Progress: drawn on a terminal, nothing when piped.

/// A design of `n` tables in a chain of references.
fn many_tables(dir: &Path, n: usize) -> PathBuf {
    let mut text = String::from("# Big\n\n```sql\n");
    for i in 0..n {
        text.push_str(&format!("CREATE TABLE t{i} (\n  id BIGINT PRIMARY KEY,\n  name TEXT"));
        if i > 0 {
            text.push_str(&format!(",\n  prev_id BIGINT REFERENCES t{}(id)", i - 1));
        }
        text.push_str("\n);\n");
    }
    text.push_str("```\n");
    let path = dir.join("big.md");
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs schemadoc with standard error on a pseudo-terminal; what it drew there.
fn on_terminal(args: &[&str]) -> (std::process::ExitStatus, String) {
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two descriptors; no name, termios or size are passed.
    let rc =
        unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), std::ptr::null()) };
    assert_eq!(rc, 0, "openpty failed");
    // SAFETY: `slave` and `master` were just opened and are owned here alone.
    let (stderr, mut reader) = unsafe {
        use std::os::fd::FromRawFd;
        (std::fs::File::from_raw_fd(slave), std::fs::File::from_raw_fd(master))
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_schemadoc"))
        .args(args)
        .env("TERM", "xterm")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap();
    // The parent's copy of the terminal's end is closed when `Command` is dropped (after spawn).
    let collector = std::thread::spawn(move || {
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        // Reading fails with EIO once the child has closed the terminal.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        String::from_utf8_lossy(&out).into_owned()
    });
    let status = child.wait().unwrap();
    drop(child);
    (status, collector.join().unwrap())
}

#[test]
fn drawing_many_tables_shows_progress_on_a_terminal_only() {
    if !graphviz() {
        eprintln!("note: skipping: Graphviz `dot` is not installed");
        return;
    }
    let dir = scratch("progress");
    let doc = many_tables(&dir, 60);
    let svg = dir.join("erd.svg");
    let doc_s = doc.to_str().unwrap();
    let (status, drawn) = on_terminal(&["report", doc_s, "-o", dir.join("r.html").to_str().unwrap()]);
    assert!(status.success(), "{drawn}");
    assert!(drawn.contains("drawing the diagram of 60 tables with Graphviz"), "{drawn:?}");
    let (status, shown) = on_terminal(&["show", doc_s, "--format", "svg"]);
    assert!(status.success(), "{shown}");
    assert!(shown.contains("drawing the diagram of 60 tables with Graphviz"), "{shown:?}");
    let (status, pages) = on_terminal(&["doc", doc_s, "-o", dir.join("docs").to_str().unwrap()]);
    assert!(status.success(), "{pages}");
    assert!(pages.contains("writing pages") && pages.contains("/60 tables"), "{pages:?}");

    // Piped: standard error holds nothing but what is said on purpose.
    let piped = schemadoc(&["show", doc_s, "--format", "svg"]);
    std::fs::write(&svg, &piped.stdout).unwrap();
    assert!(piped.status.success() && piped.stdout.starts_with(b"<?xml"));
    assert_eq!(String::from_utf8_lossy(&piped.stderr), "");
    let report = schemadoc(&["report", doc_s, "-o", dir.join("r2.html").to_str().unwrap()]);
    assert!(report.status.success());
    assert_eq!(String::from_utf8_lossy(&report.stderr), "");
}

#[test]
fn drift_from_postgres_and_mysql_is_in_the_report_without_the_password() {
    use dialect::testing::ScratchDb;
    use dialect::EngineKind;
    let dir = scratch("drift-servers");
    let old = dir.join("old.md");
    std::fs::write(
        &old,
        "# Shop\n\n```sql\nCREATE TABLE members (\n  id BIGINT PRIMARY KEY,\n  email VARCHAR(200) NOT NULL UNIQUE,\n  \
         nickname VARCHAR(50) NOT NULL,\n  legacy_note TEXT\n);\n```\n",
    )
    .unwrap();
    let new = dir.join("new.md");
    std::fs::write(&new, BOOKSHOP).unwrap();
    for kind in [EngineKind::Postgres, EngineKind::Mysql] {
        let Some(db) = ScratchDb::new(kind) else { continue };
        ok(&schemadoc(&["apply", old.to_str().unwrap(), "--db", &db.url]));
        // PostgreSQL's test server trusts local connections, so a password in the URL is accepted
        // (and must never be shown).
        let url = match (kind, db.url.split_once("://")) {
            (EngineKind::Postgres, Some((scheme, rest)))
                if rest.contains('@') && !rest.split('@').next().unwrap().contains(':') =>
            {
                format!("{scheme}://{}", rest.replacen('@', ":s3cret-pw@", 1))
            }
            _ => db.url.clone(),
        };
        let page = dir.join(format!("{kind}.html"));
        let printed = ok(&schemadoc(&["report", new.to_str().unwrap(), "--db", &url, "-o", page.to_str().unwrap()]));
        assert!(printed.contains("differences from the database"), "{kind}: {printed}");
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(!html.contains("s3cret-pw"), "{kind}: the password is in the report");
        let drift = &html[html.find("<section id=\"drift\">").expect("a drift section")..];
        let drift = &drift[..drift.find("</section>").unwrap()];
        assert!(drift.contains("column `legacy_note`: in the database only"), "{kind}: {drift}");
        assert!(drift.contains("<a href=\"#t-주문\">주문</a>"), "{kind}: {drift}");
        assert!(drift.contains("<span class=\"hazard\">drop</span>"), "{kind}: {drift}");
    }
}

#[test]
fn bad_arguments_are_refused_before_anything_is_written() {
    let dir = scratch("refusals");
    let doc = dir.join("design.md");
    std::fs::write(&doc, BOOKSHOP).unwrap();
    let page = dir.join("report.html");
    let o = schemadoc(&["report", doc.to_str().unwrap(), "-o", page.to_str().unwrap(), "--lang", "fr"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&o.stderr), "error: --lang `fr`: expected ko or en\n");
    let missing = dir.join("no-such-folder").join("report.html");
    let o = schemadoc(&["report", doc.to_str().unwrap(), "-o", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("the folder") && stderr.contains("does not exist"), "{stderr}");
    // Nothing was written, not even a temporary file.
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
    assert_eq!(left, [std::ffi::OsString::from("design.md")]);
}
