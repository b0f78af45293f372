//! The browser console (DESIGN §3.11): how it is served (`served`, no browser needed, both
//! backends), and its pages driven in headless Chromium through chromedriver (`flows`, on
//! SQLite only: the console calls the same API the other tests cover on both backends, and a
//! browser per test is the expensive part). The browser harness is in `browser`.

mod browser;
mod flows;
mod served;
