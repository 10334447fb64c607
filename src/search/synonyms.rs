//! Other names from the glossary: a term, its `also` spellings and the term it
//! `abbreviates` (`CIN` and "child in need", `EHCP` and "Education, Health and Care Plan")
//! form one group, and a decision that writes any name of a group is indexed under the
//! group's term too (`#cin`: no word can start with `#`). The browser gets the groups in
//! `meta.bin` and searches a query's name under its group's term, so each name finds the
//! decisions of the others.
//!
//! Names are matched on whole words, in order, stop words included ("child in need" is
//! three words). A name the glossary matches by case (all capitals: `SEND`) is matched in
//! decisions only where it is written in capitals, so "send a letter" is not `SEND`.

use std::collections::HashMap;

use serde::Serialize;

use super::text::{for_each_cased_word, FnvBuild};
use crate::site::glossary::Entry;

/// One name of a group: its lowercased words, and whether it must be written in capitals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Name {
    /// The words, lowercased.
    pub words: Vec<String>,
    /// Matched in decisions only when written in capitals.
    pub capitals: bool,
}

/// Names that mean the same thing, and the index term they share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The index term (`#cin`).
    pub key: String,
    /// Every name.
    pub names: Vec<Name>,
}

/// The groups of a glossary, and a matcher over running text.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// The groups (only those with two names or more).
    pub groups: Vec<Group>,
    /// Each word of a name -> its number (from 1; 0 is every other word).
    word_ids: HashMap<String, u32, FnvBuild>,
    /// By the number of a name's last word: the names that end with it.
    by_last: Vec<Vec<Ending>>,
    /// The most words in one name.
    longest: usize,
}

/// A name, as the matcher checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ending {
    group: usize,
    /// The numbers of the name's words.
    words: Vec<u32>,
    capitals: bool,
}

fn words_of(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_cased_word(text, |w, _| out.push(w.to_string()));
    out
}

fn find(parent: &mut [usize], i: usize) -> usize {
    let mut root = i;
    while parent[root] != root {
        root = parent[root];
    }
    parent[i] = root;
    root
}

/// Which entries are one group (a union-find forest: each entry's parent), joined by
/// their `abbreviates`; and for each entry the long form it abbreviates when no entry
/// names it, as one more name of its own.
fn joined(entries: &[Entry]) -> (Vec<usize>, Vec<Vec<String>>) {
    let spelling = |s: &str| words_of(s).join(" ");
    let mut owner: HashMap<String, usize> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        for s in std::iter::once(&e.term).chain(&e.also) {
            owner.entry(spelling(s)).or_insert(i);
        }
    }
    let mut parent: Vec<usize> = (0..entries.len()).collect();
    let mut extra: Vec<Vec<String>> = vec![Vec::new(); entries.len()];
    for (i, e) in entries.iter().enumerate() {
        let Some(long) = e.abbreviates.as_deref() else {
            continue;
        };
        match owner.get(&spelling(long)) {
            Some(&j) => {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a.max(b)] = a.min(b);
            }
            None => extra[i].push(long.to_string()),
        }
    }
    (parent, extra)
}

impl Synonyms {
    /// The groups of `entries`: an entry's term and `also` names, joined with the entry
    /// whose term or `also` its `abbreviates` names (or with that text as one more name).
    pub fn from_glossary(entries: &[Entry]) -> Self {
        let (mut parent, extra) = joined(entries);
        let mut grouped: Vec<Vec<Name>> = vec![Vec::new(); entries.len()];
        for (i, e) in entries.iter().enumerate() {
            let root = find(&mut parent, i);
            let capitals = e.term.chars().any(char::is_alphabetic)
                && !e.term.chars().any(char::is_lowercase)
                && e.match_case != Some(false);
            for s in std::iter::once(&e.term).chain(&e.also).chain(&extra[i]) {
                let words = words_of(s);
                let all_caps = capitals && !s.chars().any(char::is_lowercase);
                if !words.is_empty() && !grouped[root].iter().any(|n| n.words == words) {
                    grouped[root].push(Name {
                        words,
                        capitals: all_caps,
                    });
                }
            }
        }
        let groups: Vec<Group> = grouped
            .into_iter()
            .enumerate()
            .filter(|(_, names)| names.len() > 1)
            .map(|(root, names)| Group {
                key: format!("#{}", super::records::slugify(&entries[root].term)),
                names,
            })
            .collect();
        Self::from_groups(groups)
    }

    /// The matcher of `groups`: each name filed under its last word.
    fn from_groups(groups: Vec<Group>) -> Self {
        let mut word_ids: HashMap<String, u32, FnvBuild> = HashMap::default();
        let mut by_last: Vec<Vec<Ending>> = vec![Vec::new()];
        let mut longest = 0;
        for (g, group) in groups.iter().enumerate() {
            for name in &group.names {
                longest = longest.max(name.words.len());
                let words: Vec<u32> = name
                    .words
                    .iter()
                    .map(|w| {
                        let next = u32::try_from(by_last.len()).unwrap_or(u32::MAX);
                        let id = *word_ids.entry(w.clone()).or_insert(next);
                        if id == next {
                            by_last.push(Vec::new());
                        }
                        id
                    })
                    .collect();
                if let Some(&last) = words.last() {
                    by_last[last as usize].push(Ending {
                        group: g,
                        words,
                        capitals: name.capitals,
                    });
                }
            }
        }
        Self {
            groups,
            word_ids,
            by_last,
            longest,
        }
    }

    /// The number the matcher knows the (lowercased) `word` by: 0 for a word of no name.
    /// A caller that meets the same words again and again can remember it.
    pub fn word_id(&self, word: &str) -> u32 {
        self.word_ids.get(word).copied().unwrap_or(0)
    }

    /// A matcher for one run of text.
    pub fn matcher(&self) -> Matcher<'_> {
        Matcher {
            synonyms: self,
            recent: std::collections::VecDeque::with_capacity(self.longest),
        }
    }
}

/// Finds names in words fed one at a time.
#[derive(Debug)]
pub struct Matcher<'a> {
    synonyms: &'a Synonyms,
    /// The last words fed: their [`Synonyms::word_id`], and whether each was in capitals.
    recent: std::collections::VecDeque<(u32, bool)>,
}

impl Matcher<'_> {
    /// Feeds the next word (its [`Synonyms::word_id`], and whether it was written in
    /// capitals); calls `each` with the key of every group one of whose names ends here.
    pub fn push(&mut self, word_id: u32, capitals: bool, mut each: impl FnMut(&str)) {
        if self.synonyms.longest == 0 {
            return;
        }
        if word_id == 0 {
            // A word of no name: no name ends here, and none that ends later reaches back
            // across it, so the words before it are forgotten (most words take this way).
            if !self.recent.is_empty() {
                self.recent.clear();
            }
            return;
        }
        if self.recent.len() == self.synonyms.longest {
            self.recent.pop_front();
        }
        self.recent.push_back((word_id, capitals));
        let Some(found) = self.synonyms.by_last.get(word_id as usize) else {
            return;
        };
        let mut last_key: Option<&str> = None;
        for name in found {
            let len = name.words.len();
            if len > self.recent.len() {
                continue;
            }
            let start = self.recent.len() - len;
            let fits = name.words.iter().enumerate().all(|(k, w)| {
                let (seen, caps) = self.recent[start + k];
                seen == *w && (!name.capitals || caps)
            });
            let key = self.synonyms.groups[name.group].key.as_str();
            if fits && last_key != Some(key) {
                each(key);
                last_key = Some(key);
            }
        }
    }

    /// Forgets the words fed so far (between fields).
    pub fn reset(&mut self) {
        self.recent.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(term: &str, also: &[&str], abbreviates: Option<&str>) -> Entry {
        Entry {
            term: term.into(),
            meaning: String::new(),
            also: also.iter().map(|s| (*s).to_string()).collect(),
            match_case: None,
            abbreviates: abbreviates.map(str::to_string),
        }
    }

    fn keys(s: &Synonyms, text: &str) -> Vec<String> {
        let mut m = s.matcher();
        let mut out = Vec::new();
        for_each_cased_word(text, |w, caps| {
            m.push(s.word_id(w), caps, |k| out.push(k.to_string()));
        });
        out
    }

    #[test]
    fn can_join_an_abbreviation_with_what_it_abbreviates() {
        let s = Synonyms::from_glossary(&[
            entry("child in need", &["children in need"], None),
            entry("CIN", &[], Some("child in need")),
            entry("Ofsted", &[], None),
        ]);
        assert_eq!(s.groups.len(), 1, "a term with no other name is no group");
        assert_eq!(s.groups[0].key, "#child-in-need");
        assert_eq!(s.groups[0].names.len(), 3);
        assert_eq!(keys(&s, "a CIN plan"), ["#child-in-need"]);
        assert_eq!(keys(&s, "Children in Need"), ["#child-in-need"]);
        assert_eq!(keys(&s, "a child in a need"), Vec::<String>::new());
    }

    #[test]
    fn can_match_capital_names_only_in_capitals() {
        let s = Synonyms::from_glossary(&[entry("SEND", &[], Some("special educational needs"))]);
        assert_eq!(s.groups[0].names.len(), 2, "the long form becomes a name");
        assert_eq!(keys(&s, "send a letter"), Vec::<String>::new());
        assert_eq!(keys(&s, "his SEND needs"), ["#send"]);
        assert_eq!(keys(&s, "Special educational needs"), ["#send"]);
    }

    #[test]
    fn can_join_names_across_entries_through_also() {
        let s = Synonyms::from_glossary(&[
            entry(
                "EHC plan",
                &["EHCP", "Education, Health and Care Plan"],
                None,
            ),
            entry("EHC", &[], Some("ehcp")),
        ]);
        assert_eq!(s.groups.len(), 1);
        assert_eq!(
            keys(&s, "an Education, Health and Care plan"),
            ["#ehc-plan"]
        );
    }
}
