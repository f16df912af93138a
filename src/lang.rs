//! The language the user reads, shared through context: every screen and part reads it with
//! [`use_lang`] instead of receiving it from its parent, and it follows the settings at once.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::storage::SettingsCtx;

#[derive(Clone, Copy)]
pub struct LangCtx(pub Memo<Lang>);

/// Shares the language of the settings.
pub fn provide_lang_context(settings: SettingsCtx) -> Memo<Lang> {
    let lang = Memo::new(move |_| settings.0.with(|s| s.lang));
    provide_context(LangCtx(lang));
    lang
}

/// The language the user reads now.
pub fn use_lang() -> Memo<Lang> {
    expect_context::<LangCtx>().0
}
