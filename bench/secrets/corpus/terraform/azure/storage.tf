resource "azurerm_storage_account" "logs" {
  name                     = "acmelogs01"
  resource_group_name      = azurerm_resource_group.main.name
  location                 = azurerm_resource_group.main.location
  account_tier             = "Standard"
  account_replication_type = "GRS"
  min_tls_version          = "TLS1_2"
}

resource "azurerm_key_vault_secret" "logs_connection" {
  name         = "logs-connection-string"
  value        = azurerm_storage_account.logs.primary_connection_string
  key_vault_id = azurerm_key_vault.main.id
}

output "logs_access_key" {
  value     = azurerm_storage_account.logs.primary_access_key
  sensitive = true
}
