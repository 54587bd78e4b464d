//! The building as the canvassers walk it: one tab per entrance (floors top to bottom, the flats
//! of each floor), and one tab listing everything else (shops, parking, storerooms).

use obhod_core::{PremiseKind, Registry};

use super::keymap::Action;

pub struct Tab {
    /// The entrance; `None` for the tab of other premises.
    pub entrance: Option<String>,
    /// Rows top to bottom: a floor and its premises. The list tab has one premise per row.
    pub rows: Vec<(Option<i32>, Vec<usize>)>,
}

pub struct Tabs {
    pub tabs: Vec<Tab>,
}

impl Tabs {
    pub fn new(registry: &Registry) -> Tabs {
        let mut entrances: Vec<String> = Vec::new();
        let mut others = Vec::new();
        for (index, premise) in registry.premises.iter().enumerate() {
            match (&premise.entrance, premise.kind) {
                (Some(entrance), PremiseKind::Flat) => {
                    if !entrances.contains(entrance) {
                        entrances.push(entrance.clone());
                    }
                }
                _ => others.push(index),
            }
        }
        entrances.sort_by_key(|e| (e.parse::<i64>().unwrap_or(i64::MAX), e.clone()));
        let mut tabs: Vec<Tab> = entrances
            .into_iter()
            .map(|entrance| {
                let mut floors: Vec<Option<i32>> = Vec::new();
                let in_entrance = |p: &&obhod_core::Premise| {
                    p.kind == PremiseKind::Flat && p.entrance.as_deref() == Some(entrance.as_str())
                };
                for premise in registry.premises.iter().filter(in_entrance) {
                    if !floors.contains(&premise.floor) {
                        floors.push(premise.floor);
                    }
                }
                // Top floor first, as the building stands; flats without a floor at the bottom.
                floors.sort_by_key(|f| std::cmp::Reverse(f.map_or(i64::MIN, i64::from)));
                let rows = floors
                    .into_iter()
                    .map(|floor| {
                        let flats = (0..registry.premises.len())
                            .filter(|&i| in_entrance(&&registry.premises[i]) && registry.premises[i].floor == floor)
                            .collect();
                        (floor, flats)
                    })
                    .collect();
                Tab { entrance: Some(entrance), rows }
            })
            .collect();
        if !others.is_empty() {
            tabs.push(Tab { entrance: None, rows: others.into_iter().map(|p| (None, vec![p])).collect() });
        }
        Tabs { tabs }
    }

    /// How many tabs there are (one at least, even for an empty registry).
    pub fn count(&self) -> usize {
        self.tabs.len().max(1)
    }

    pub fn first_premise(&self, tab: usize) -> Option<usize> {
        self.doors(tab).first().copied()
    }

    /// The premises of a tab in stairwell order: from the lowest floor up, each floor left to right.
    pub fn doors(&self, tab: usize) -> Vec<usize> {
        let Some(tab) = self.tabs.get(tab) else { return Vec::new() };
        if tab.entrance.is_none() {
            return tab.rows.iter().flat_map(|(_, r)| r.iter().copied()).collect();
        }
        tab.rows.iter().rev().flat_map(|(_, r)| r.iter().copied()).collect()
    }

    /// The tab a premise is on.
    pub fn tab_of(&self, premise: usize) -> Option<usize> {
        self.tabs.iter().position(|t| t.rows.iter().any(|(_, r)| r.contains(&premise)))
    }

    /// Where the cursor goes from `cursor` on `tab` after a move.
    pub fn step(&self, tab: usize, cursor: usize, action: Action) -> usize {
        let Some(tab) = self.tabs.get(tab) else { return cursor };
        let Some((row, column)) = tab
            .rows
            .iter()
            .enumerate()
            .find_map(|(r, (_, flats))| flats.iter().position(|&p| p == cursor).map(|c| (r, c)))
        else {
            return tab.rows.first().and_then(|(_, r)| r.first().copied()).unwrap_or(cursor);
        };
        let (row, column) = match action {
            Action::Up => (row.saturating_sub(1), column),
            Action::Down => ((row + 1).min(tab.rows.len() - 1), column),
            Action::Left => (row, column.saturating_sub(1)),
            Action::Right => (row, column + 1),
            _ => (row, column),
        };
        let flats = &tab.rows[row].1;
        flats[column.min(flats.len() - 1)]
    }
}
