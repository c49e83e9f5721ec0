//! Front-matter fields of other site generators. Markdown written for Hugo, Jekyll, Docusaurus
//! or MkDocs carries them; they are not typos of policybook's fields, so they do not stop a
//! build: the item loads without them, and the check reports each (`foreign-field`, a warning).

/// Fields other tools define, with the tools that do. Fields that policybook's kinds have
/// (`status`, `version`, `owner`…) are left out: on a kind without them they stay errors.
const FIELDS: &[(&str, &str)] = &[
    ("abstract", "Pandoc"),
    ("aliases", "Hugo"),
    ("author", "Hugo and Jekyll"),
    ("authors", "Hugo and MkDocs"),
    ("categories", "Hugo and Jekyll"),
    ("comments", "MkDocs"),
    ("custom_edit_url", "Docusaurus"),
    ("date", "Hugo and Jekyll"),
    ("displayed_sidebar", "Docusaurus"),
    ("draft", "Hugo and Docusaurus"),
    ("excerpt", "Jekyll"),
    ("expiryDate", "Hugo"),
    ("grand_parent", "Jekyll"),
    ("has_children", "Jekyll"),
    ("has_toc", "Jekyll"),
    ("hide", "MkDocs"),
    ("hide_table_of_contents", "Docusaurus"),
    ("hide_title", "Docusaurus"),
    ("icon", "MkDocs"),
    ("image", "Docusaurus"),
    ("images", "Hugo"),
    ("keywords", "Hugo and Docusaurus"),
    ("last_modified_at", "Jekyll"),
    ("last_update", "Docusaurus"),
    ("lastmod", "Hugo"),
    ("layout", "Hugo and Jekyll"),
    ("linkTitle", "Hugo"),
    ("menu", "Hugo"),
    ("nav_exclude", "Jekyll"),
    ("nav_order", "Jekyll"),
    ("pagination_label", "Docusaurus"),
    ("pagination_next", "Docusaurus"),
    ("pagination_prev", "Docusaurus"),
    ("parent", "Jekyll"),
    ("permalink", "Jekyll"),
    ("publishDate", "Hugo"),
    ("published", "Jekyll"),
    ("redirect_from", "Jekyll"),
    ("search", "MkDocs"),
    ("sidebar_class_name", "Docusaurus"),
    ("sidebar_custom_props", "Docusaurus"),
    ("sidebar_label", "Docusaurus"),
    ("sidebar_position", "Docusaurus"),
    ("slug", "Hugo and Docusaurus"),
    ("subtitle", "Pandoc and MkDocs"),
    ("template", "MkDocs"),
    ("toc", "Hugo and Jekyll"),
    ("toc_max_heading_level", "Docusaurus"),
    ("toc_min_heading_level", "Docusaurus"),
    ("type", "Hugo"),
    ("unlisted", "Docusaurus"),
    ("url", "Hugo"),
];

/// The tools that define `field`, if it is another tool's.
pub fn tools(field: &str) -> Option<&'static str> {
    FIELDS
        .binary_search_by(|(name, _)| name.cmp(&field))
        .ok()
        .map(|i| FIELDS[i].1)
}

/// What to do instead of `field`, where policybook has a way to the same end.
pub fn instead(field: &str) -> &'static str {
    match field {
        "sidebar_position" | "nav_order" => "order pages with `weight` (lower first)",
        "slug" | "permalink" | "url" | "aliases" | "redirect_from" => {
            "a page's address comes from its file's path"
        }
        "draft" | "published" | "unlisted" | "nav_exclude" => {
            "every file in the content folder is built; move the file out to leave it out"
        }
        "sidebar_label" | "linkTitle" => "navigation shows the `title`",
        "excerpt" | "abstract" => "rename it `summary` to show it as the page's summary",
        _ => "remove it, or turn the rule off in [check.severity] if the files serve both tools",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_sorted_so_lookup_finds_each() {
        assert!(FIELDS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(tools("sidebar_position"), Some("Docusaurus"));
        assert_eq!(tools("ownr"), None);
        assert_eq!(tools("status"), None);
    }

    #[test]
    fn no_field_of_a_kind_is_another_tools() {
        for kind in crate::content::Kind::ALL {
            for field in super::super::COMMON_FIELDS
                .iter()
                .chain(super::super::Data::fields(kind))
            {
                assert_eq!(tools(field), None, "{kind}: {field}");
            }
        }
    }
}
