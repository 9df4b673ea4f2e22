/** The shape of a namespace's strings: the English file must have exactly the keys of the Chinese one. */
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
