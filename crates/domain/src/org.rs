//! Who a plan belongs to and who works on it: organizations, departments, people.

use crate::{DepartmentId, Email, Name, OrganizationId, PersonId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A city, an agency, a department: the owner of plans. An agency may sit under
/// a department, a department under a city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Organization {
    /// Its identifier.
    pub id: OrganizationId,
    /// Its name, such as "City of Harbor Falls".
    pub name: Name,
    /// The organization it belongs to, if any.
    pub parent_id: Option<OrganizationId>,
}

/// What a client sends to create or replace an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationDraft {
    /// Its name.
    pub name: Name,
    /// The organization it belongs to, if any.
    #[serde(default)]
    pub parent_id: Option<OrganizationId>,
}

/// A department of an organization, such as "Information Technology Services".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Department {
    /// Its identifier.
    pub id: DepartmentId,
    /// The organization it is part of.
    pub organization_id: OrganizationId,
    /// Its name, unique within the organization.
    pub name: Name,
}

/// What a client sends to create or replace a department.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentDraft {
    /// The organization it is part of.
    pub organization_id: OrganizationId,
    /// Its name, unique within the organization.
    pub name: Name,
}

/// A person who owns or sponsors parts of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    /// Their identifier.
    pub id: PersonId,
    /// The organization they work for.
    pub organization_id: OrganizationId,
    /// Their name as it should appear on reports, unique within the organization.
    pub name: Name,
    /// Their e-mail address, if known.
    pub email: Option<Email>,
    /// Their department, if known.
    pub department_id: Option<DepartmentId>,
}

/// What a client sends to create or replace a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonDraft {
    /// The organization they work for.
    pub organization_id: OrganizationId,
    /// Their name, unique within the organization.
    pub name: Name,
    /// Their e-mail address.
    #[serde(default)]
    pub email: Option<Email>,
    /// Their department (of the same organization).
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
}
