//! Placeholder: this screen is being built.

use leptos::prelude::*;

use crate::i18n::Lang;

#[component]
pub fn ScoreboardPage(lang: Memo<Lang>) -> impl IntoView {
    let _ = lang;
    view! { <section class="card"><h2>"ScoreboardPage"</h2></section> }
}
