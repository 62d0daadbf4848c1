# frozen_string_literal: true

class SubscriptionsController < ApplicationController
  feature_category :subscription_management
  urgency :low, [:index]

  def index
    @subscriptions = Subscription.for_namespace(params[:namespace_id])
  end

  def show
    @subscription = Subscription.find(params[:id])
  end
end
