resource "azurerm_mssql_server" "main" {
  name                         = "acme-sql-main"
  resource_group_name          = azurerm_resource_group.main.name
  location                     = azurerm_resource_group.main.location
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = "jWCrjVNPD2u3Z20ITKyEX5YV"
  minimum_tls_version          = "1.2"
}

resource "azurerm_mssql_server" "replica" {
  name                         = "acme-sql-replica"
  resource_group_name          = azurerm_resource_group.main.name
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = azurerm_mssql_server.main.administrator_login
  administrator_login_password = azurerm_mssql_server.main.administrator_login_password
}

resource "azurerm_linux_virtual_machine" "jump" {
  name                            = "jump-01"
  resource_group_name             = azurerm_resource_group.main.name
  location                        = azurerm_resource_group.main.location
  size                            = "Standard_B2s"
  admin_username                  = "azureuser"
  admin_password                  = azurerm_key_vault_secret.jump_password.value
  disable_password_authentication = false
  network_interface_ids           = [azurerm_network_interface.jump.id]
}
