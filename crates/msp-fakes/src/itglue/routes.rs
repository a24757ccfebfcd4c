//! The routes the fake knows, and which handler answers each.

use url::Url;
use wiremock::ResponseTemplate;

use super::errors::html_not_found;
use super::state::{Account, NamedKind};
use super::{configurations, interfaces, models, organizations, types_statuses};

/// A known IT Glue route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    Organizations,
    Organization(u64),
    OrganizationConfigurations(u64),
    Configurations,
    Configuration(u64),
    ConfigurationInterfaces(u64),
    InterfacesRoot,
    Interface(u64),
    Models,
    NamedList(NamedKind),
    Named(NamedKind, u64),
    /// A route IT Glue has, with an id that is not a number: its HTML 404 page.
    NoSuchPage,
}

/// An id segment: a number, or a route that does not exist.
fn id(segment: &str) -> Result<u64, Route> {
    segment.parse().map_err(|_| Route::NoSuchPage)
}

impl Route {
    /// The route of `path`, or `None` when IT Glue has nothing like it.
    pub(crate) fn parse(path: &str) -> Option<Route> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let route = match segments.as_slice() {
            ["organizations"] => Route::Organizations,
            ["organizations", org] => id(org).map_or_else(|r| r, Route::Organization),
            ["organizations", org, "relationships", "configurations"] => {
                id(org).map_or_else(|r| r, Route::OrganizationConfigurations)
            }
            ["configurations"] => Route::Configurations,
            ["configurations", configuration] => {
                id(configuration).map_or_else(|r| r, Route::Configuration)
            }
            [
                "configurations",
                configuration,
                "relationships",
                "configuration_interfaces",
            ] => id(configuration).map_or_else(|r| r, Route::ConfigurationInterfaces),
            ["configuration_interfaces"] => Route::InterfacesRoot,
            ["models"] => Route::Models,
            ["configuration_interfaces", interface] => {
                id(interface).map_or_else(|r| r, Route::Interface)
            }
            [segment] => Route::NamedList(NamedKind::from_route(segment)?),
            [segment, named] => {
                let kind = NamedKind::from_route(segment)?;
                id(named).map_or_else(|r| r, |id| Route::Named(kind, id))
            }
            _ => return None,
        };
        Some(route)
    }

    /// Whether `GET` on this route is a paged list.
    pub(crate) fn is_list(self) -> bool {
        matches!(
            self,
            Route::Organizations
                | Route::OrganizationConfigurations(_)
                | Route::Configurations
                | Route::ConfigurationInterfaces(_)
                | Route::NamedList(_)
                | Route::Models
        )
    }
}

/// Answers `method` on `route`, or `None` when the route does not take that method.
pub(crate) fn dispatch(
    account: &mut Account,
    method: &str,
    route: Route,
    url: &Url,
    body: &[u8],
) -> Option<ResponseTemplate> {
    let answer = match (method, route) {
        (_, Route::NoSuchPage) | ("GET", Route::InterfacesRoot) => html_not_found(),
        ("GET", Route::Organizations) => organizations::list(account, url),
        ("POST", Route::Organizations) => organizations::create(account, body),
        ("GET", Route::Organization(id)) => organizations::show(account, id),
        ("PATCH", Route::Organization(id)) => organizations::update(account, id, body),
        ("GET", Route::OrganizationConfigurations(org)) => {
            configurations::list(account, url, Some(org))
        }
        ("POST", Route::OrganizationConfigurations(org)) => {
            configurations::create(account, body, Some(org))
        }
        ("GET", Route::Configurations) => configurations::list(account, url, None),
        ("POST", Route::Configurations) => configurations::create(account, body, None),
        ("GET", Route::Configuration(id)) => configurations::show(account, id, url),
        ("PATCH", Route::Configuration(id)) => configurations::update(account, id, body),
        ("PATCH", Route::Configurations) => configurations::bulk_update(account, body),
        ("GET", Route::Models) => models::list(account, url),
        ("POST", Route::Models) => models::create(account, body),
        // IT Glue's operating-system list is read-only.
        ("POST" | "PATCH", Route::NamedList(NamedKind::OperatingSystem))
        | ("PATCH", Route::Named(NamedKind::OperatingSystem, _)) => html_not_found(),
        ("GET", Route::ConfigurationInterfaces(id)) => interfaces::list(account, id, url),
        ("POST", Route::ConfigurationInterfaces(id)) => interfaces::create(account, Some(id), body),
        ("POST", Route::InterfacesRoot) => interfaces::create(account, None, body),
        ("GET", Route::Interface(id)) => interfaces::show(account, id),
        ("GET", Route::NamedList(kind)) => types_statuses::list(account, kind, url),
        ("POST", Route::NamedList(kind)) => types_statuses::create(account, kind, body),
        ("GET", Route::Named(kind, id)) => types_statuses::show(account, kind, id),
        ("PATCH", Route::Named(kind, id)) => types_statuses::update(account, kind, id, body),
        _ => return None,
    };
    Some(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_paths_are_routes() {
        assert_eq!(Route::parse("/organizations"), Some(Route::Organizations));
        assert_eq!(
            Route::parse("/organizations/12/relationships/configurations"),
            Some(Route::OrganizationConfigurations(12))
        );
        assert_eq!(
            Route::parse("/configurations/7/relationships/configuration_interfaces"),
            Some(Route::ConfigurationInterfaces(7))
        );
        assert_eq!(
            Route::parse("/configuration_statuses/3"),
            Some(Route::Named(NamedKind::ConfigurationStatus, 3))
        );
    }

    #[test]
    fn a_non_numeric_id_is_a_missing_page_and_unknown_paths_are_unknown() {
        assert_eq!(Route::parse("/organizations/abc"), Some(Route::NoSuchPage));
        assert_eq!(Route::parse("/api/v2/account"), None);
        assert_eq!(Route::parse("/passwords"), None);
    }
}
