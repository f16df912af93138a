//! Placeholder: this screen is being built.

use leptos::prelude::*;

use crate::i18n::Lang;

#[component]
pub fn SummaryPage(lang: Memo<Lang>) -> impl IntoView {
    let _ = lang;
    view! { <section class="card"><h2>"SummaryPage"</h2></section> }
}
