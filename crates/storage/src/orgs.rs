//! Organizations, their departments and their people.

use crate::error::{in_use, on_conflict};
use crate::rows::{DepartmentRow, OrganizationRow, PersonRow, convert, text};
use crate::versions::{DEPARTMENTS, ORGANIZATIONS, PEOPLE, Versioned};
use crate::{Result, StorageError, Store};
use lodestar_domain::*;

pub(crate) const ORG_COLUMNS: &str = "id, name, parent_id";
pub(crate) const DEPARTMENT_COLUMNS: &str = "id, organization_id, name";
pub(crate) const PERSON_COLUMNS: &str = "id, organization_id, name, email, department_id";

impl Store {
    /// Every organization, by name.
    pub async fn list_organizations(&self) -> Result<Vec<Organization>> {
        let sql = format!("SELECT {ORG_COLUMNS} FROM organizations ORDER BY name, id");
        let rows: Vec<OrganizationRow> =
            on_backend!(self, read, pool => sqlx::query_as(&sql).fetch_all(pool).await?);
        convert(rows)
    }

    /// One organization.
    pub async fn get_organization(&self, id: OrganizationId) -> Result<Organization> {
        let sql = format!("SELECT {ORG_COLUMNS} FROM organizations WHERE id = $1");
        let row: Option<OrganizationRow> = on_backend!(self, read, pool => sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?);
        row.ok_or_else(|| StorageError::not_found("organization", id))?
            .try_into()
    }

    /// Creates an organization.
    pub async fn create_organization(&self, draft: &OrganizationDraft) -> Result<Organization> {
        let id: i64 = in_tx!(self, conn => {
            sqlx::query_scalar("INSERT INTO organizations (name, parent_id) VALUES ($1, $2) RETURNING id")
                .bind(draft.name.as_str())
                .bind(draft.parent_id.map(|p| p.0))
                .fetch_one(&mut *conn)
                .await
                .map_err(on_conflict("name", format!("an organization named {:?} already exists", draft.name.as_str())))?
        });
        Ok(Organization {
            id: OrganizationId(id),
            name: draft.name.clone(),
            parent_id: draft.parent_id,
        })
    }

    /// Replaces an organization's fields, if it is still at version `expected`.
    pub async fn update_organization(
        &self,
        id: OrganizationId,
        expected: i64,
        draft: &OrganizationDraft,
    ) -> Result<Versioned<Organization>> {
        in_tx!(self, conn => {
            let rows = sqlx::query(
                "UPDATE organizations SET name = $1, parent_id = $2, version = version + 1 WHERE id = $3 AND version = $4",
            )
            .bind(draft.name.as_str())
            .bind(draft.parent_id.map(|p| p.0))
            .bind(id.0)
            .bind(expected)
            .execute(&mut *conn)
            .await
            .map_err(on_conflict("name", format!("an organization named {:?} already exists", draft.name.as_str())))?
            .rows_affected();
            if rows == 0 {
                return Err(missed_version!(&mut *conn, ORGANIZATIONS, id.0, expected));
            }
        });
        let value = Organization {
            id,
            name: draft.name.clone(),
            parent_id: draft.parent_id,
        };
        Ok(Versioned {
            value,
            version: expected + 1,
        })
    }

    /// Deletes an organization that has no plans and no sub-organizations;
    /// when `expected` names a version, only if it is still at that version.
    pub async fn delete_organization(
        &self,
        id: OrganizationId,
        expected: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let in_use = in_use(
            "the organization still has plans or sub-organizations; delete or move them first",
        );
        crate::versions::delete_at_version(&mut tx, &ORGANIZATIONS, id.0, expected, in_use).await?;
        tx.commit().await
    }

    /// Departments, of one organization or of all, by name.
    pub async fn list_departments(
        &self,
        organization: Option<OrganizationId>,
    ) -> Result<Vec<Department>> {
        let sql = format!(
            "SELECT {DEPARTMENT_COLUMNS} FROM departments WHERE ($1 IS NULL OR organization_id = $1) ORDER BY name, id"
        );
        let rows: Vec<DepartmentRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(organization.map(|o| o.0)).fetch_all(pool).await?
        });
        convert(rows)
    }

    /// One department.
    pub async fn get_department(&self, id: DepartmentId) -> Result<Department> {
        let sql = format!("SELECT {DEPARTMENT_COLUMNS} FROM departments WHERE id = $1");
        let row: Option<DepartmentRow> = on_backend!(self, read, pool => sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?);
        row.ok_or_else(|| StorageError::not_found("department", id))?
            .try_into()
    }

    /// Creates a department.
    pub async fn create_department(&self, draft: &DepartmentDraft) -> Result<Department> {
        let id: i64 = in_tx!(self, conn => {
            sqlx::query_scalar("INSERT INTO departments (organization_id, name) VALUES ($1, $2) RETURNING id")
                .bind(draft.organization_id.0)
                .bind(draft.name.as_str())
                .fetch_one(&mut *conn)
                .await
                .map_err(on_conflict("name", duplicate_department(draft)))?
        });
        Ok(Department {
            id: DepartmentId(id),
            organization_id: draft.organization_id,
            name: draft.name.clone(),
        })
    }

    /// Replaces a department's fields, if it is still at version `expected`.
    pub async fn update_department(
        &self,
        id: DepartmentId,
        expected: i64,
        draft: &DepartmentDraft,
    ) -> Result<Versioned<Department>> {
        in_tx!(self, conn => {
            let rows = sqlx::query(
                "UPDATE departments SET organization_id = $1, name = $2, version = version + 1 WHERE id = $3 AND version = $4",
            )
            .bind(draft.organization_id.0)
            .bind(draft.name.as_str())
            .bind(id.0)
            .bind(expected)
            .execute(&mut *conn)
            .await
            .map_err(on_conflict("name", duplicate_department(draft)))?
            .rows_affected();
            if rows == 0 {
                return Err(missed_version!(&mut *conn, DEPARTMENTS, id.0, expected));
            }
        });
        let value = Department {
            id,
            organization_id: draft.organization_id,
            name: draft.name.clone(),
        };
        Ok(Versioned {
            value,
            version: expected + 1,
        })
    }

    /// Deletes a department (people and nodes that named it keep no
    /// department); when `expected` names a version, only at that version.
    pub async fn delete_department(&self, id: DepartmentId, expected: Option<i64>) -> Result<()> {
        self.delete_versioned(&DEPARTMENTS, id.0, expected).await
    }

    /// People, of one organization or of all, by name.
    pub async fn list_people(&self, organization: Option<OrganizationId>) -> Result<Vec<Person>> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM people WHERE ($1 IS NULL OR organization_id = $1) ORDER BY name, id"
        );
        let rows: Vec<PersonRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(organization.map(|o| o.0)).fetch_all(pool).await?
        });
        convert(rows)
    }

    /// One person.
    pub async fn get_person(&self, id: PersonId) -> Result<Person> {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1");
        let row: Option<PersonRow> = on_backend!(self, read, pool => sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?);
        row.ok_or_else(|| StorageError::not_found("person", id))?
            .try_into()
    }

    /// Creates a person.
    pub async fn create_person(&self, draft: &PersonDraft) -> Result<Person> {
        let id: i64 = in_tx!(self, conn => {
            sqlx::query_scalar(
                "INSERT INTO people (organization_id, name, email, department_id) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(draft.organization_id.0)
            .bind(draft.name.as_str())
            .bind(text(&draft.email))
            .bind(draft.department_id.map(|d| d.0))
            .fetch_one(&mut *conn)
            .await
            .map_err(on_conflict("name", duplicate_person(draft)))?
        });
        Ok(person(PersonId(id), draft))
    }

    /// Replaces a person's fields, if the record is still at version `expected`.
    pub async fn update_person(
        &self,
        id: PersonId,
        expected: i64,
        draft: &PersonDraft,
    ) -> Result<Versioned<Person>> {
        in_tx!(self, conn => {
            let rows = sqlx::query(
                "UPDATE people SET organization_id = $1, name = $2, email = $3, department_id = $4, \
                 version = version + 1 WHERE id = $5 AND version = $6",
            )
            .bind(draft.organization_id.0)
            .bind(draft.name.as_str())
            .bind(text(&draft.email))
            .bind(draft.department_id.map(|d| d.0))
            .bind(id.0)
            .bind(expected)
            .execute(&mut *conn)
            .await
            .map_err(on_conflict("name", duplicate_person(draft)))?
            .rows_affected();
            if rows == 0 {
                return Err(missed_version!(&mut *conn, PEOPLE, id.0, expected));
            }
        });
        Ok(Versioned {
            value: person(id, draft),
            version: expected + 1,
        })
    }

    /// Deletes a person (nodes they owned or sponsored keep no owner or
    /// sponsor); when `expected` names a version, only at that version.
    pub async fn delete_person(&self, id: PersonId, expected: Option<i64>) -> Result<()> {
        self.delete_versioned(&PEOPLE, id.0, expected).await
    }
}

fn duplicate_department(draft: &DepartmentDraft) -> String {
    format!(
        "the organization already has a department named {:?}",
        draft.name.as_str()
    )
}

fn duplicate_person(draft: &PersonDraft) -> String {
    format!(
        "the organization already has a person named {:?}",
        draft.name.as_str()
    )
}

fn person(id: PersonId, draft: &PersonDraft) -> Person {
    Person {
        id,
        organization_id: draft.organization_id,
        name: draft.name.clone(),
        email: draft.email.clone(),
        department_id: draft.department_id,
    }
}
