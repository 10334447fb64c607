use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// The window from `from` days ago to `to` days ago.
fn days_ago(from: u64, to: u64) -> Window {
    let today = chrono::Utc::now().date_naive();
    Window {
        from: today - Days::new(from),
        to: today - Days::new(to),
    }
}

/// The window from `from` to `to` (YYYY-MM-DD).
fn span(from: &str, to: &str) -> Window {
    Window {
        from: d(from),
        to: d(to),
    }
}

/// The first day of each window a fetch with no dates walks (those done skipped).
fn walked(state: &FetchState, filter: &Filter, revisit: Days) -> Vec<NaiveDate> {
    let today = chrono::Utc::now().date_naive();
    state
        .windows_to_walk(filter, revisit, today)
        .unwrap_or_default()
        .into_iter()
        .filter(|w| !state.is_done(*w, filter, revisit))
        .map(|w| w.from)
        .collect()
}

#[test]
fn can_save_and_load_and_go_on_from_the_newest_window() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut state = FetchState::load(dir.path()).expect("fresh");
    let today = chrono::Utc::now().date_naive();
    assert_eq!(
        state.windows_to_walk(&Filter::default(), NO_REVISIT, today),
        None
    );
    let jan = span("2025-01-01", "2025-01-31");
    let feb = span("2025-02-01", "2025-02-28");
    let all = Filter::default();
    state.finish(feb, &all, 3);
    state.finish(jan, &all, 12);
    state.save(dir.path()).expect("save");
    let again = FetchState::load(dir.path()).expect("load");
    assert_eq!(again, state);
    let plan = again
        .windows_to_walk(&all, NO_REVISIT, today)
        .expect("a plan");
    assert_eq!(plan[0].from, d("2025-02-01"), "from the newest window done");
    assert_eq!(walked(&again, &all, NO_REVISIT)[0], d("2025-03-01"));
    assert!(
        again.is_done(jan, &all, NO_REVISIT),
        "finished after its end"
    );
}

const NO_REVISIT: Days = Days::new(0);

fn month(m: u32) -> Window {
    let from = NaiveDate::from_ymd_opt(2025, m, 1).expect("date");
    let to = from
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .expect("date");
    Window { from, to }
}

#[test]
fn a_window_walked_with_a_filter_is_done_only_for_what_the_filter_kept() {
    let mut state = FetchState::default();
    let housing = Filter::new(Some("Housing"), None);
    let homelessness = Filter::new(Some("housing"), Some("homelessness"));
    state.finish(month(1), &housing, 40);
    assert!(state.is_done(month(1), &housing, NO_REVISIT));
    assert!(
        state.is_done(month(1), &homelessness, NO_REVISIT),
        "fewer decisions"
    );
    assert!(
        !state.is_done(month(1), &Filter::default(), NO_REVISIT),
        "every decision"
    );
    assert!(!state.is_done(month(1), &Filter::new(Some("education"), None), NO_REVISIT));
    let today = chrono::Utc::now().date_naive();
    assert_eq!(
        state.windows_to_walk(&Filter::default(), NO_REVISIT, today),
        None
    );
    let plan = state
        .windows_to_walk(&housing, NO_REVISIT, today)
        .expect("a plan");
    assert_eq!(plan[0], month(1));
    let json = serde_json::to_string(&state).expect("json");
    assert!(json.contains(r#""category":"housing""#), "{json}");
    assert_eq!(
        serde_json::from_str::<FetchState>(&json).expect("back"),
        state
    );
}

#[test]
fn a_fetch_with_no_dates_goes_back_to_a_window_left_unfinished() {
    let mut state = FetchState::default();
    let all = Filter::default();
    state.finish(month(1), &all, 15);
    state.leave(month(2), &all, true);
    state.finish(month(3), &all, 11);
    assert_eq!(walked(&state, &all, NO_REVISIT)[0], d("2025-02-01"));
    assert!(!state.is_done(month(2), &all, NO_REVISIT));
    state.finish(month(2), &all, 14);
    assert!(state.unfinished.is_empty(), "finishing it clears it");
    assert_eq!(walked(&state, &all, NO_REVISIT)[0], d("2025-04-01"));
}

#[test]
fn walks_no_month_between_one_left_unfinished_and_the_newest_done() {
    let mut state = FetchState::default();
    let all = Filter::default();
    let jan_2024 = span("2024-01-01", "2024-01-31");
    state.leave(jan_2024, &all, true);
    state.finish(month(11), &all, 3);
    let plan = state
        .windows_to_walk(&all, NO_REVISIT, d("2025-12-07"))
        .expect("a plan");
    let firsts: Vec<_> = plan.iter().map(|w| w.from).collect();
    assert_eq!(
        firsts,
        [d("2024-01-01"), d("2025-11-01"), d("2025-12-01")],
        "not the 21 months between"
    );
}

#[test]
fn a_window_left_unfinished_is_cleared_by_a_walk_that_covers_it() {
    let mut state = FetchState::default();
    let all = Filter::default();
    let first_week = span("2025-01-01", "2025-01-07");
    state.leave(first_week, &all, true);
    state.leave(month(2), &Filter::new(Some("housing"), None), true);
    state.finish(month(1), &all, 30);
    state.finish(month(2), &all, 30);
    assert!(state.unfinished.is_empty(), "{:?}", state.unfinished);
    // A narrower walk clears nothing it did not cover.
    state.leave(month(3), &all, true);
    state.finish(month(3), &Filter::new(Some("housing"), None), 4);
    assert_eq!(state.unfinished.len(), 1);
}

#[test]
fn stops_going_back_to_a_window_left_unfinished_too_often() {
    let mut state = FetchState::default();
    let all = Filter::default();
    state.finish(month(6), &all, 3);
    for walks in 1..=MAX_WALKS {
        assert_eq!(state.leave(month(2), &all, true), walks);
        assert_eq!(state.leave(month(2), &all, false), walks, "a stopped walk");
        let back = walked(&state, &all, NO_REVISIT).contains(&d("2025-02-01"));
        assert_eq!(back, walks < MAX_WALKS, "after {walks} walks");
    }
    assert!(!state.is_done(month(2), &all, NO_REVISIT), "still not done");
}

#[test]
fn a_recent_month_left_unfinished_too_often_is_not_walked_for_being_recent() {
    let mut state = FetchState::default();
    let all = Filter::default();
    let recent = days_ago(40, 10);
    state.finish(month(1), &all, 3);
    state.finish(recent, &all, 5);
    let revisit = Days::new(30);
    for _ in 0..MAX_WALKS {
        assert!(walked(&state, &all, revisit).contains(&recent.from));
        state.leave(recent, &all, true);
    }
    let plan = state
        .windows_to_walk(&all, revisit, d("2025-03-15"))
        .expect("a plan");
    assert!(!plan.contains(&recent), "{plan:?}");
}

#[test]
fn a_walk_counts_the_narrower_walks_it_covers_when_left_unfinished() {
    let mut state = FetchState::default();
    let all = Filter::default();
    state.finish(month(6), &all, 3);
    state.leave(month(2), &Filter::new(Some("housing"), None), true);
    for _ in 1..MAX_WALKS {
        state.leave(month(2), &all, true);
    }
    assert_eq!(state.unfinished.len(), 1, "{:?}", state.unfinished);
    assert_eq!(state.unfinished[0].walks, MAX_WALKS);
    assert!(!walked(&state, &all, NO_REVISIT).contains(&d("2025-02-01")));
}

#[test]
fn the_days_a_daily_fetch_walked_are_one_window_once_the_month_is_walked() {
    let mut state = FetchState::default();
    let all = Filter::default();
    for day in 1..=30 {
        let w = Window {
            from: d("2025-11-01"),
            to: NaiveDate::from_ymd_opt(2025, 11, day).expect("date"),
        };
        state.finish(w, &all, day as usize);
    }
    assert_eq!(state.windows.len(), 1, "each walk covered the one before");
    let plan = state
        .windows_to_walk(&all, Days::new(90), d("2025-12-07"))
        .expect("a plan");
    assert_eq!(plan.len(), 2, "November and December: {plan:?}");
}

#[test]
fn goes_on_by_calendar_months_after_a_walk_from_the_middle_of_one() {
    let mut state = FetchState::default();
    let all = Filter::default();
    state.finish(month(11), &all, 3);
    state.finish(span("2025-12-05", "2025-12-31"), &all, 3);
    let plan = state
        .windows_to_walk(&all, NO_REVISIT, d("2026-01-10"))
        .expect("a plan");
    assert!(
        plan.iter().any(|w| w.from == d("2025-12-01")),
        "the first days of December: {plan:?}"
    );
}

#[test]
fn reads_a_state_file_with_keys_it_does_not_know() {
    let state: FetchState =
        serde_json::from_str(r#"{"windows": [], "written_by": "a later casebook"}"#).expect("read");
    assert_eq!(state, FetchState::default());
}

#[test]
fn a_window_stays_open_for_the_revisit_days_after_its_end() {
    let mut state = FetchState::default();
    let all = Filter::default();
    let recent = days_ago(40, 10);
    let old = days_ago(400, 370);
    state.finish(old, &all, 5);
    state.finish(recent, &all, 5);
    assert!(state.is_done(recent, &all, NO_REVISIT));
    assert!(
        !state.is_done(recent, &all, Days::new(30)),
        "walked 10 days after its end"
    );
    assert!(state.is_done(old, &all, Days::new(30)));
    let first = walked(&state, &all, Days::new(30))[0];
    assert_eq!(first, recent.from.with_day(1).expect("date"), "its month");
}

#[test]
fn keeps_the_pages_not_yet_imported_relative_to_the_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let page = root.join("sources/2025/25-000-001.html");
    std::fs::create_dir_all(page.parent().expect("parent")).expect("mkdir");
    std::fs::write(&page, "<html>").expect("write");
    let mut state = FetchState::default();
    let gone = root.join("sources/2025/25-000-002.html");
    state.add_unimported(root, &[page.clone(), gone.clone()]);
    state.add_unimported(root, std::slice::from_ref(&page));
    state.unimported.push("../outside.html".into());
    state.save(root).expect("save");
    let again = FetchState::load(root).expect("load");
    assert_eq!(
        again.unimported[..2],
        [
            "sources/2025/25-000-001.html",
            "sources/2025/25-000-002.html"
        ]
    );
    assert_eq!(again.unimported_pages(root), vec![page]);
    assert!(!std::fs::read_to_string(state_path(root))
        .expect("state")
        .contains("unimported\": []"));
}

#[test]
fn walks_again_a_window_finished_before_its_end() {
    let mut state = FetchState::default();
    let today = chrono::Utc::now().date_naive();
    let running = Window {
        from: today,
        to: today,
    };
    state.finish(running, &Filter::default(), 1);
    assert!(!state.is_done(running, &Filter::default(), NO_REVISIT));
}

#[test]
fn errors_on_a_damaged_state_file_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("sources")).expect("mkdir");
    std::fs::write(state_path(dir.path()), "{\"windows\": [").expect("write");
    let err = FetchState::load(dir.path())
        .expect_err("damaged")
        .to_string();
    assert!(err.contains(".fetch-state.json:1:"), "{err}");
}
