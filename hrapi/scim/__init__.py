"""SCIM 2.0 (RFC 7643/7644) provisioning of people (Users) and org units (Groups)."""
