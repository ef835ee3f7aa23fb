use yew::prelude::*;

use crate::i18n::I18n;

/// One cell of a [`data_table`]: `label` is its column's name, which narrow screens show before
/// the value (the rows are stacked there).
pub fn cell(label: &str, content: Html) -> Html {
    html! {
        <td class="data-table__cell" role="cell" data-label={label.to_owned()}>{ content }</td>
    }
}

/// A table that also works at 360 px: wide screens get ordinary columns, narrow ones a stacked
/// block per row with the column name before each value. The explicit ARIA roles keep the table
/// semantics that `display: block` would otherwise take away. Named by the heading `labelledby`.
pub fn data_table(labelledby: &str, class: &str, headers: &[&str], rows: Html) -> Html {
    html! {
        <div class="table-scroll">
            <table class={classes!("data-table", class.to_owned())} role="table" aria-labelledby={labelledby.to_owned()}>
                <thead class="data-table__head" role="rowgroup">
                    <tr role="row">
                        { for headers.iter().map(|header| html! {
                            <th scope="col" role="columnheader">{ *header }</th>
                        }) }
                    </tr>
                </thead>
                <tbody role="rowgroup">{ rows }</tbody>
            </table>
        </div>
    }
}

/// A date and time in Swedish time.
pub fn time_html(i18n: &I18n, at: chrono::DateTime<chrono::Utc>) -> Html {
    html! { <>{ i18n.date_time(at) }</> }
}

/// A calendar date in a table cell, kept on one line (a narrow column would otherwise break
/// `2026-06-27` at its hyphens).
pub fn date_html(i18n: &I18n, date: chrono::NaiveDate) -> Html {
    html! { <time class="date" datetime={date.to_string()}>{ i18n.date(date) }</time> }
}

/// A role name from the server (`teacher`, …) in words; an unknown one as it came.
pub fn role_text<'a>(i18n: &I18n, role: &'a str) -> &'a str {
    match role {
        "guardian" => i18n.t("role.guardian"),
        "pupil" => i18n.t("role.pupil"),
        "teacher" => i18n.t("role.teacher"),
        "preschool_staff" => i18n.t("role.preschool_staff"),
        "officer" => i18n.t("role.officer"),
        "principal" => i18n.t("role.principal"),
        "administrator" => i18n.t("role.administrator"),
        other => other,
    }
}

/// Several roles, comma separated; "–" for none.
pub fn roles_text(i18n: &I18n, roles: &[String]) -> String {
    if roles.is_empty() {
        return i18n.t("common.none").to_owned();
    }
    roles
        .iter()
        .map(|role| role_text(i18n, role))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A placement's unit kind (`school`, `preschool`, …) in words; an unknown one as it came.
pub fn unit_kind_text<'a>(i18n: &I18n, kind: &'a str) -> &'a str {
    match kind {
        "school" => i18n.t("unit.school"),
        "preschool" => i18n.t("unit.preschool"),
        "fritidshem" => i18n.t("unit.fritidshem"),
        "family_daycare" => i18n.t("unit.family_daycare"),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn codes_are_translated_and_unknown_ones_kept() {
        let sv = I18n::new(Lang::Sv);
        assert_eq!(role_text(&sv, "teacher"), "Lärare");
        assert_eq!(role_text(&sv, "janitor"), "janitor");
        assert_eq!(
            roles_text(&sv, &["teacher".into(), "guardian".into()]),
            "Lärare, Vårdnadshavare"
        );
        assert_eq!(unit_kind_text(&sv, "fritidshem"), "Fritidshem");
        assert_eq!(unit_kind_text(&sv, "camp"), "camp");
    }
}
