require "shopify_api"

class ShopifySync
  SHOP = "acme-merch.myshopify.com"
  ACCESS_TOKEN = "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"

  def initialize
    @session = ShopifyAPI::Auth::Session.new(shop: SHOP, access_token: ACCESS_TOKEN)
  end

  def products
    ShopifyAPI::Product.all(session: @session)
  end
end
