# frozen_string_literal: true

class SeatsController < ApplicationController
  # Deliberate mistake for the multi-root tests: a typo of :seat_cost_management.
  feature_category :seat_cost_managment

  def index
    @seats = Seat.billable(params[:namespace_id])
  end
end
