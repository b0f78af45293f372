//! `/api/v1/stats/*`: progress against the plans' targets, for officials.

pub mod city;
pub mod export;
pub mod overview;
pub mod params;
pub mod progress;
pub mod providers;
pub mod run;
pub mod view;
