/** Customers, with their personal data masked unless revealed (audited). */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { Customer, CustomerCreate, CustomerFlag, CustomerPii, CustomerUpdate, Page } from './types';

export interface CustomerFilter {
  q?: string | undefined;
  phone?: string | undefined;
  flag?: CustomerFlag | undefined;
  page?: number;
  pageSize?: number;
}

export function useCustomers(filter: CustomerFilter, enabled = true) {
  return useQuery({
    queryKey: ['customers', 'list', filter],
    queryFn: () => api.get<Page<Customer>>('/customers', { ...filter }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCreateCustomer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CustomerCreate) => api.post<Customer>('/customers', input),
    onSuccess: () => client.invalidateQueries({ queryKey: ['customers'] }),
  });
}

export function useUpdateCustomer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: CustomerUpdate }) => api.patch<Customer>(`/customers/${id}`, patch),
    onSuccess: () => client.invalidateQueries({ queryKey: ['customers'] }),
  });
}

/** Reveals the unmasked phone and ID number; the server records every call in the audit log. */
export function revealCustomerPii(id: string): Promise<CustomerPii> {
  return api.get<CustomerPii>(`/customers/${id}/pii`);
}
