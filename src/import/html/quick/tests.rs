//! The quick reading held to html5ever's: on the website's pages, on markup that needs
//! no repair, on markup that does, and on generated markup.

use super::*;
use proptest::prelude::*;

/// Whether the quick reading read `html`, walking the page and walking only its article;
/// where it did, it must give html5ever's document.
fn read_alike(html: &str) -> [bool; 2] {
    [Scope::Page, Scope::Article].map(|scope| {
        let (quick, full) = both_readings(html, scope);
        quick.is_some_and(|doc| {
            assert_eq!(
                Ok(&doc),
                full.as_ref(),
                "the readings of {scope:?} differ on {html:?}"
            );
            true
        })
    })
}

/// As [`read_alike`]; and reading the article first ([`crate::import::html::read_page`])
/// must give html5ever's reading of the whole page.
fn read_page_alike(html: &str) -> [bool; 2] {
    let read = read_alike(html);
    assert_eq!(
        crate::import::html::read_page(html),
        crate::import::html::depth::parse(html, Scope::Page),
        "reading the article first differs on {html:?}"
    );
    read
}

#[test]
fn reads_the_pages_the_website_writes_as_html5ever_does() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut pages = Vec::new();
    for dir in ["seeds", "html"] {
        let dir = std::path::Path::new(fixtures).join(dir);
        for entry in std::fs::read_dir(&dir).expect("fixtures").flatten() {
            let text = std::fs::read_to_string(entry.path()).expect("a fixture");
            pages.push(crate::corpus::html::rendition(&text).unwrap_or(text));
        }
    }
    for i in 0..40 {
        let page = crate::corpus::page(i);
        pages.extend(crate::corpus::html::rendition(&page.text));
    }
    assert!(pages.len() > 40);
    for html in &pages {
        assert_eq!(
            read_page_alike(html),
            [true; 2],
            "left to html5ever: {html}"
        );
        let crlf = html.replace('\n', "\r\n");
        assert_eq!(
            read_page_alike(&crlf),
            [true; 2],
            "left to html5ever with CRLF"
        );
    }
}

#[test]
fn reads_what_needs_no_repair() {
    for html in [
        "<!doctype html><title>T &amp; U</title><p>One</p><p>Two &rsquo; &#8217;</p>",
        "<p>unclosed <b>bold <i>both",
        "<pre>\nkept\n</pre><pre>&#10;x</pre><pre></>\ny</pre>",
        "<!-- before --><html><!-- in --><head> <meta charset=utf-8> </head>\n<body><p>x</p></body>\n<!-- after -->\n</html>\n<!-- end -->\n",
        "<BODY CLASS=x><DIV Id=article>Upper <Span>case</SPAN></DIV>",
        "<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul><dl><dt>t</dt><dd>d</dd></dl>",
        "<article id=article><h1>Name (24 005 444)</h1><div class=label>Category</div><div class=value>A &gt; B</div></article>",
        "<form><button>Go</button><input name=q></form><p>a < b, c > d, AT &amp; T</p>",
        "<p id=a id=b class=first class=second>repeated attributes</p>",
        "<script>if (a < b) { x = '</p>'; }</script><style>p > a {}</style><p>after",
    ] {
        assert!(read_alike(html)[0], "left to html5ever: {html}");
    }
}

#[test]
fn gives_way_where_the_tree_builder_repairs() {
    for html in [
        "<p>a<div>block in a paragraph</div>",
        "<b><i>misnested</b></i>",
        "<a href=x>one<a href=y>two</a></a>",
        "<ul><li>one<li>two</ul>",
        "<h2>one<h3>two</h3></h2>",
        "<table><tr><td>cell</td></tr></table>",
        "<svg><title>s</title></svg>",
        "<noscript><p>x</p></noscript>",
        "text before any tag",
        "<head><title>t</title></head><body><p>x</p></body></html><p>after the end",
        "<p>&copy 2024</p>",
        "<p>a\0b</p>",
        "<div>unclosed</span>",
        "<title>only a head</title>",
        "<x-custom>unknown</x-custom>",
        "<script>a<!--b</script>",
        "<p>end inside a tag <b",
    ] {
        assert_eq!(read(html, Scope::Page), None, "read quickly: {html}");
        assert!(!read_alike(html)[0], "read quickly: {html}");
    }
    let deep = format!("{}x", "<div>".repeat(MAX_OPEN + 1));
    assert_eq!(read(&deep, Scope::Page), None);
    let shallow = format!("{}x", "<div>".repeat(MAX_OPEN - 10));
    assert_eq!(read_alike(&shallow), [true; 2]);
}

#[test]
fn reads_the_article_wherever_it_opens() {
    // Before, an article inside an element the walk skips went to html5ever; walking
    // only the article, all that comes before it is skipped.
    for html in [
        "<nav><ul><li>Home</li></ul></nav><main><p>Crumbs</p><article id=article><h1>Name (24 005 444)</h1><p>Summary: x</p><nav>in</nav><ol><li>one</li></ol></article><p>after</p></main><footer>f</footer>",
        "<form><article id=article><p>Inside</p></article></form><p>outside",
        "<div id=cookie-banner><article><p>an article that is not the one</p></article></div><article id=\"article\"><p>the one</p></article>",
        "<main><div><div><article id=article class=x>deep <b>bold</b></article></div> tail <!-- c --> <p>more</p></div></main>",
        "<main><article id=other>no</article></main><p>a page with no article of the id</p>",
        // After the article, what its unseen ancestors' seen ancestor holds is not the
        // article's (found in review: it was read into the article).
        "<main><div><article id=article>A</article></div>B</main>",
        "<nav><div><article id=article><p>A</p></article></div><p>B</p></nav><p>C</p>",
        "<!DOCTYPE html>\n<html><head><title>T</title></head>\n<body>\n<div id=\"page\">\n<div class=\"main\">\n<article id=\"article\">\n<p>Decision text</p>\n</article>\n</div>\n<div class=\"related\"><h2>Related decisions</h2></div>\n</div>\n</body>\n</html>\n",
        "<html><head><title>No article</title><link rel=canonical href=/c><meta charset=utf-8></head><body><div><div><article class=card>x</article></div><p>text</p></div></body></html>",
    ] {
        assert_eq!(read_page_alike(html), [true; 2], "left to html5ever: {html}");
        let (article, _) = both_readings(html, Scope::Article);
        let (page, _) = both_readings(html, Scope::Page);
        let (article, page) = (article.expect("read"), page.expect("read"));
        if page.in_article {
            assert_eq!(article, page, "{html}");
        } else {
            let nothing = Document {
                pieces: Vec::new(),
                in_article: false,
                ..page.clone()
            };
            assert_eq!(article, nothing, "{html}");
        }
    }
    let (_, page) = both_readings(
        "<html><head><title>No article</title><link rel=canonical href=/c><meta charset=utf-8></head><body><p>x</p></body></html>",
        Scope::Page,
    );
    let page = page.expect("shallow");
    assert!(page.title.is_some() && page.canonical.is_some() && !page.charsets.is_empty());
    let quoted = [
        "<div><div><article id=article>A</article></div>B</div>",
        "<div><div><article id=\"article\">A</article></div>B</div>",
        "<div><div><article class=x id='article' id=other>A</article></div>B</div>",
    ];
    for html in quoted {
        let (article, _) = both_readings(html, Scope::Article);
        let pieces = article.expect("read").pieces;
        assert_eq!(pieces.len(), 1, "{html}");
        assert_eq!(pieces[0].lines, ["A"], "{html}");
    }
}

/// The article's start tag, written in the ways a page may write it.
const ARTICLE_TAGS: &[&str] = &[
    "<article id=article>",
    "<article id=\"article\">",
    "<ARTICLE ID='article'>",
    "<article class=\"article-body\" id=article id=other>",
    "<article id=other>",
];

/// Elements the article may sit in: some the walk reads, some it skips.
const WRAPPERS: &[&str] = &[
    "<div>",
    "<div id=page>",
    "<main>",
    "<section class=content>",
    "<nav>",
    "<form>",
    "<footer>",
    "<div class=cookie-banner>",
    "<div class=print>",
    "<header>",
];

/// A page with an article inside generated elements, with generated content before it,
/// inside it, and after it in each of its ancestors.
fn wrapped_article() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((0..WRAPPERS.len(), tree()), 0..5),
        tree(),
        0..ARTICLE_TAGS.len(),
        tree(),
        prop::collection::vec(tree(), 5),
        any::<bool>(),
    )
        .prop_map(|(wrappers, before, tag, inside, after, document)| {
            let mut page = before;
            for (w, content) in &wrappers {
                page.push_str(WRAPPERS[*w]);
                page.push_str(content);
            }
            page.push_str(ARTICLE_TAGS[tag]);
            page.push_str(&inside);
            page.push_str("</article>");
            for (k, (w, _)) in wrappers.iter().enumerate().rev() {
                page.push_str(&after[k]);
                let name = WRAPPERS[*w][1..].split([' ', '>']).next().unwrap_or("div");
                page.push_str(&format!("</{name}>"));
            }
            page.push_str(&after[4]);
            if document {
                format!(
                    "<!DOCTYPE html>\n<html><head><title>T</title><link rel=canonical href=/c></head>\n<body>{page}</body></html>\n"
                )
            } else {
                page
            }
        })
}

const NAMES: &[&str] = &[
    "html", "head", "body", "title", "meta", "link", "script", "style", "p", "div", "article",
    "ol", "ul", "li", "h1", "h2", "h3", "a", "b", "strong", "em", "i", "span", "br", "img", "pre",
    "form", "button", "nav", "footer", "header", "main", "section", "table", "td", "tr", "svg",
    "noscript", "textarea", "dl", "dd", "dt", "label", "input", "hr", "template", "select",
    "option", "x-custom", "P", "DIV", "LI", "dialog", "search", "address",
];

const ATTRIBUTES: &[&str] = &[
    "",
    " class=label",
    " class=value",
    " class=\"cookie-banner\"",
    " id=article",
    " id=\"article\"",
    " href=/decisions/a/b/24-005-444",
    " start=3",
    " value=5",
    " rel=canonical href=/c",
    " charset=utf-8",
    " CLASS=x",
    " class=print",
    " href='x&amp;y'",
    " class=a class=b",
    " /",
];

/// Text the quick reading leaves to html5ever, or reads only outside the body.
const ODD_TEXTS: &[&str] = &["&copy", "<!doctype html>", "<?pi?>", "</ x>", "<!-->"];

/// Any text of the generated pages.
static TEXTS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| [READ_TEXTS, ODD_TEXTS].concat());

/// Text the quick reading reads anywhere in the body.
const READ_TEXTS: &[&str] = &[
    "Summary: ",
    " ",
    "\n",
    "word",
    "Kent County Council (24 005 444)",
    "&amp;",
    "&rsquo;",
    "a & b",
    "<",
    "x\r\ny",
    "Category : Housing > Homelessness",
    "&#8217;",
    "\t",
    "&nbsp;",
    "<!-- c -->",
    "</>",
];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..NAMES.len(), 0..ATTRIBUTES.len())
            .prop_map(|(n, a)| format!("<{}{}>", NAMES[n], ATTRIBUTES[a])),
        (0..NAMES.len()).prop_map(|n| format!("</{}>", NAMES[n])),
        (0..TEXTS.len()).prop_map(|t| TEXTS[t].to_string()),
    ]
}

/// Names the quick reading reads when they nest properly (no `<p>`: a block in it
/// gives way).
const READ: &[&str] = &[
    "div", "article", "ol", "ul", "li", "h2", "a", "b", "strong", "em", "span", "pre", "nav",
    "footer", "header", "main", "section", "label", "dl", "dd", "dt", "dialog", "search",
    "address", "DIV", "title", "script", "style", "form", "button",
];

/// Elements nested as they should be, named from `names`.
fn tree_of(
    names: &'static [&'static str],
    texts: &'static [&'static str],
) -> impl Strategy<Value = String> {
    let leaf = (0..texts.len()).prop_map(move |t| texts[t].to_string());
    leaf.prop_recursive(5, 48, 6, move |inner| {
        (
            0..names.len(),
            0..ATTRIBUTES.len(),
            prop::collection::vec(inner, 0..6),
        )
            .prop_map(move |(n, a, children)| {
                let name = names[n];
                format!("<{name}{}>{}</{name}>", ATTRIBUTES[a], children.concat())
            })
    })
}

fn tree() -> impl Strategy<Value = String> {
    prop_oneof![
        tree_of(NAMES, TEXTS.as_slice()),
        tree_of(READ, READ_TEXTS),
        tree_of(READ, READ_TEXTS)
    ]
}

fn page() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(token(), 0..60).prop_map(|t| t.concat()),
        prop::collection::vec(tree(), 1..4).prop_map(|t| t.concat()),
        (tree(), tree()).prop_map(|(head, body)| format!(
            "<!DOCTYPE html>\n<html><head>{head}</head>\n<body>{body}</body>\n</html>\n"
        )),
        (
            prop::collection::vec(tree(), 1..4),
            prop::collection::vec(token(), 1..4)
        )
            .prop_map(|(trees, tokens)| {
                let mut page = trees.concat();
                for (k, t) in tokens.iter().enumerate() {
                    let at = (page.len() * (k + 1) / (tokens.len() + 1)..page.len())
                        .find(|&i| page.is_char_boundary(i))
                        .unwrap_or(page.len());
                    page.insert_str(at, t);
                }
                page
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn reads_as_html5ever_does_or_gives_way(html in page()) {
        read_page_alike(&html);
    }

    #[test]
    fn reads_an_article_wherever_it_sits_as_html5ever_does(html in wrapped_article()) {
        read_page_alike(&html);
    }
}
