use super::*;

#[test]
fn can_pack_a_chunks_postings_and_unpack_them_in_order() {
    let mut packed = Packed::default();
    let docs = [(0, 1), (1, 300), (7, u16::MAX), (70_000, 2), (u32::MAX, 5)];
    for (doc, tf) in docs {
        packed.push(doc, tf);
    }
    let mut to = TermPostings {
        docs: vec![9],
        tfs: vec![9],
    };
    packed.unpack_into(&mut to);
    assert_eq!(to.docs, [9, 0, 1, 7, 70_000, u32::MAX]);
    assert_eq!(to.tfs, [9, 1, 300, u16::MAX, 2, 5]);
    assert!(
        packed.bytes.len() < docs.len() * 6,
        "{} bytes",
        packed.bytes.len()
    );
}

#[test]
fn can_read_a_terms_chunk_lists_as_one_list() {
    let (mut first, mut second) = (Packed::default(), Packed::default());
    for (doc, tf) in [(3, 1), (200, 9)] {
        first.push(doc, tf);
    }
    for (doc, tf) in [(201, 2), (90_000, 400)] {
        second.push(doc, tf);
    }
    let postings = Postings {
        chunks: vec![first, Packed::default(), second],
    };
    assert_eq!(postings.len(), 4);
    assert!(!postings.is_empty());
    let all = postings.unpack();
    assert_eq!(all.docs, [3, 200, 201, 90_000]);
    assert_eq!(all.tfs, [1, 9, 2, 400]);
    assert!(Postings::default().is_empty());
}

pub(crate) fn doc(text: &str) -> SearchDocument<'static> {
    SearchDocument {
        text: text.to_string(),
        ..SearchDocument::default()
    }
}

#[test]
fn can_invert_documents_in_doc_order() {
    let docs: Vec<SearchDocument> = (0..600)
        .map(|i| {
            doc(if i % 2 == 0 {
                "anger management"
            } else {
                "anger anger"
            })
        })
        .collect();
    let index = invert(&docs.iter().collect::<Vec<_>>(), &Synonyms::default());
    let anger = index
        .terms
        .iter()
        .find(|t| t.text == "anger")
        .expect("anger")
        .postings
        .unpack();
    assert_eq!(anger.docs, (0..600).collect::<Vec<u32>>());
    assert_eq!(anger.tfs[0], 1);
    assert_eq!(anger.tfs[1], 2);
    let management = index.terms.iter().find(|t| t.text == "manag").expect("m");
    assert_eq!(management.postings.len(), 300);
    let management = management.postings.unpack();
    assert!(management.docs.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(index.doc_lengths.len(), 600);
}

#[test]
fn can_sort_terms_by_hash() {
    let docs = [doc("alpha beta gamma delta epsilon zeta eta theta")];
    let index = invert(&docs.iter().collect::<Vec<_>>(), &Synonyms::default());
    assert_eq!(index.terms.len(), 16, "eight stems and their forms");
    assert!(index.terms.windows(2).all(|w| w[0].hash <= w[1].hash));
}

#[test]
fn can_find_a_reference_in_both_spellings() {
    let docs = [SearchDocument {
        reference: "21 019 020".into(),
        ..SearchDocument::default()
    }];
    let index = invert(&docs.iter().collect::<Vec<_>>(), &Synonyms::default());
    for term in ["21", "019", "020", "21019020"] {
        assert!(index.terms.iter().any(|t| t.text == term), "{term}");
    }
}

#[test]
fn can_index_neighbouring_words_as_pairs() {
    let docs = [SearchDocument {
        summary: "quilted".into(),
        text: "the child in need was helped".into(),
        ..SearchDocument::default()
    }];
    let index = invert(&docs.iter().collect::<Vec<_>>(), &Synonyms::default());
    let files = pairs::pair_files(&index.pairs);
    let entries = pairs::read_pair_file(&files.files[0]).expect("a pair file");
    let mut want: Vec<(u32, Vec<u32>)> = [
        ("the", "child"),
        ("child", "in"),
        ("in", "need"),
        ("need", "was"),
        ("was", "help"),
    ]
    .iter()
    .map(|(a, b)| (pairs::pair_hash(a, b), vec![0]))
    .collect();
    want.sort_unstable();
    assert_eq!(
        entries, want,
        "stop words as written, stems else; none across fields"
    );
    assert_eq!(
        index.doc_lengths,
        [3 + 3],
        "pairs add nothing to a doc's length"
    );
}

#[test]
fn finds_a_decision_by_its_category_and_subcategory() {
    let docs = [SearchDocument {
        category: Some("Adult care services".into()),
        subcategory: Some("Safeguarding".into()),
        text: "The council looked into a concern.".into(),
        ..SearchDocument::default()
    }];
    let index = invert(&docs.iter().collect::<Vec<_>>(), &Synonyms::default());
    let form = form_term("safeguard", "safeguarding");
    for word in ["safeguard", &form, "adult", "care", "servic"] {
        let term = index.terms.iter().find(|t| t.text == word);
        let term = term.unwrap_or_else(|| panic!("{word} not indexed"));
        assert_eq!(term.postings.unpack().tfs, [2], "{word}: weighed twice");
    }
}

#[test]
fn can_weight_fields() {
    let docs = [SearchDocument {
        summary: "anger".into(),
        text: "anger".into(),
        ..SearchDocument::default()
    }];
    let index = invert(&docs.iter().collect::<Vec<_>>(), &Synonyms::default());
    assert!(
        index.terms.iter().all(|t| t.postings.unpack().tfs == [4]),
        "stem and form"
    );
    assert_eq!(index.doc_lengths, [4]);
}
